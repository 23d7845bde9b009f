package session

import (
	"context"
	"errors"
	"fmt"

	"github.com/twofa/twofa/client"
	"github.com/twofa/twofa/keyring"
)

// SignInResult is how far a password sign-in got: a full Session, or a
// sign-in Pending its second factor.
type SignInResult struct {
	Session Session
	Pending *Pending
}

// SignIn checks user's password at the route remembered for them (the
// Customer Portal's, for a CoPilot customer_user), following the server to
// the other route when it says so. Save remembers where it succeeded.
func (m *Manager) SignIn(ctx context.Context, user, password string) (SignInResult, error) {
	portal := client.PortalMain
	if m.memory != nil {
		portal = client.Portal(m.memory.Route(m.Server(), user))
	}
	res, err := m.client.LoginAt(ctx, portal, user, password)
	if err != nil {
		return SignInResult{}, err
	}
	if res.Requires2FA {
		return SignInResult{Pending: &Pending{User: user, Token: res.AccessToken, Portal: res.Portal}}, nil
	}
	return SignInResult{Session: Session{User: user, Token: res.AccessToken, Portal: res.Portal}}, nil
}

// SecondFactor completes p with an authenticator code, or a backup code
// (backup). The code is sent once; a refusal is returned as the client's
// error and p may be tried again while the server keeps it.
func (m *Manager) SecondFactor(ctx context.Context, p Pending, code string, backup bool) (Session, error) {
	var tok *client.Token
	var err error
	if backup {
		tok, err = m.client.ValidateBackup(ctx, p.Token, code)
	} else {
		tok, err = m.client.ValidateTOTP(ctx, p.Token, code)
	}
	if err != nil {
		return Session{}, err
	}
	return Session{User: p.User, Token: tok.AccessToken, Portal: p.Portal}, nil
}

// Save keeps s for the next run and remembers its user as this server's
// last one, with the route they signed in at. It returns where the token
// went; both parts are tried and their errors joined.
func (m *Manager) Save(s Session) (keyring.Storage, error) {
	var errs []error
	if m.store != nil {
		if err := m.store.Save(m.Server(), s.User, s.Token); err != nil {
			errs = append(errs, err)
		}
	}
	if m.memory != nil {
		if err := m.memory.Remember(m.Server(), s.User, string(s.Portal)); err != nil {
			errs = append(errs, err)
		}
	}
	return m.Storage(), errors.Join(errs...)
}

// Load returns the session kept for user, unchecked; ErrNotStored when
// there is none.
func (m *Manager) Load(user string) (Session, error) {
	s := Session{User: user}
	if m.store == nil || user == "" {
		return s, ErrNotStored
	}
	tok, err := m.store.Load(m.Server(), user)
	switch {
	case errors.Is(err, keyring.ErrNotFound):
		return s, ErrNotStored
	case err != nil:
		return s, err
	case tok == "":
		return s, ErrNotStored
	}
	s.Token = tok
	if m.memory != nil {
		s.Portal = client.Portal(m.memory.Route(m.Server(), user))
	}
	return s, nil
}

// Resume loads the session kept for user and asks the server for the
// account with it, so a session the server no longer takes is found out
// before anyone relies on it: a refusal comes back as the client's error
// (wire.Unauthorized for an ended session) beside the loaded Session, which
// the caller may Forget.
func (m *Manager) Resume(ctx context.Context, user string) (Session, Account, error) {
	s, err := m.Load(user)
	if err != nil {
		return s, Account{}, err
	}
	acct, err := m.Account(ctx, s)
	if err != nil {
		return s, Account{}, fmt.Errorf("resume the session of %s: %w", user, err)
	}
	return s, acct, nil
}

// Forget deletes the session kept for user; forgetting none is no error.
func (m *Manager) Forget(user string) error {
	if m.store == nil {
		return nil
	}
	return m.store.Delete(m.Server(), user)
}
