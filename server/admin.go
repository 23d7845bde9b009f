package server

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/twofa/twofa/server/auth"
	"github.com/twofa/twofa/server/keys"
	"github.com/twofa/twofa/server/store"
)

// AdminOptions configure an Admin; JWT secret and keys are needed only by RotateKey.
type AdminOptions struct {
	DSN             string
	Now             func() time.Time // default time.Now
	PasswordHashing auth.Params      // zero = auth.PasswordParams
	// Actor and Addr are recorded in the audit log (e.g. the OS user and "cli").
	Actor string
	Addr  string
}

// Admin runs the `twofa admin` operations directly on the database.
type Admin struct {
	st   *store.Store
	opts AdminOptions
}

// OpenAdmin opens the database (applying migrations) for admin operations.
func OpenAdmin(ctx context.Context, opts AdminOptions) (*Admin, error) {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.PasswordHashing == (auth.Params{}) {
		opts.PasswordHashing = auth.PasswordParams
	}
	if opts.Addr == "" {
		opts.Addr = "cli"
	}
	st, err := store.Open(ctx, opts.DSN)
	if err != nil {
		return nil, err
	}
	return &Admin{st: st, opts: opts}, nil
}

// Close closes the database.
func (a *Admin) Close() error { return a.st.Close() }

func (a *Admin) appendAudit(ctx context.Context, h store.Handle, u store.User, event, detail string) error {
	uid := u.ID
	return a.st.Audit.Append(ctx, h, store.Event{At: a.opts.Now().UTC(), UserID: &uid, Username: u.Username, Event: event, ClientAddr: a.opts.Addr, Detail: detail})
}

func (a *Admin) user(ctx context.Context, name string) (store.User, error) {
	u, err := a.st.Users.ByName(ctx, a.st.DB(), name)
	if errors.Is(err, store.ErrNotFound) {
		return store.User{}, &UnknownUserError{Name: name}
	}
	return u, err
}

// CreateUser adds an account; role is "admin" or "user".
func (a *Admin) CreateUser(ctx context.Context, username, password, role string) (int64, error) {
	id, err := createUser(ctx, a.st, a.opts.PasswordHashing, a.opts.Now(), username, password, role)
	if err != nil {
		return 0, err
	}
	return id, a.appendAudit(ctx, a.st.DB(), store.User{ID: id, Username: username}, EventUserCreated, "role "+role+" by "+a.opts.Actor)
}

// SetPassword replaces an account's password, revokes every one of its
// sessions and forgets its failed sign-ins; it returns how many live
// sessions that ended.
func (a *Admin) SetPassword(ctx context.Context, username, password string) (int, error) {
	if password == "" {
		return 0, errors.New("password must not be empty")
	}
	u, err := a.user(ctx, username)
	if err != nil {
		return 0, err
	}
	hash, err := auth.HashContext(ctx, password, a.opts.PasswordHashing)
	if err != nil {
		return 0, err
	}
	n := 0
	err = a.st.Tx(ctx, func(h store.Handle) error {
		if err := a.st.Users.SetPassword(ctx, h, u.ID, hash); err != nil {
			return err
		}
		if n, err = a.st.Tokens.RevokeSessions(ctx, h, u.ID, "", a.opts.Now()); err != nil {
			return err
		}
		if err := a.st.Throttle.Clear(ctx, h, store.ScopeAccount, userSubject(u.ID)); err != nil {
			return err
		}
		return a.appendAudit(ctx, h, u, EventPasswordSet, fmt.Sprintf("%s revoked; by %s", count(n, "session"), a.opts.Actor))
	})
	return n, err
}

// ResetTwoFactor removes an account's 2FA, clears its lock and revokes
// every one of its sessions; it returns how many live sessions that ended.
func (a *Admin) ResetTwoFactor(ctx context.Context, username string) (int, error) {
	u, err := a.user(ctx, username)
	if err != nil {
		return 0, err
	}
	return resetTwoFactor(ctx, a.st, u, "", a.opts.Now(), a.opts.Addr, "by "+a.opts.Actor+" from the command line")
}

// resetByAdmin is the admin route's reset: admin, whose session is of the
// family keep, removes the 2FA of the account with the given id and ends
// its sessions (all of them, or all but the caller's when admins reset
// themselves). It returns that account and how many sessions it ended.
func (s *Server) resetByAdmin(ctx context.Context, admin store.User, keep string, id int64, addr string) (store.User, int, error) {
	if admin.Role != "admin" {
		return store.User{}, 0, ErrForbidden
	}
	target, err := s.store.Users.ByID(ctx, s.store.DB(), id)
	if errors.Is(err, store.ErrNotFound) {
		return store.User{}, 0, &UnknownUserError{ID: id}
	}
	if err != nil {
		return store.User{}, 0, err
	}
	if target.ID != admin.ID {
		keep = ""
	}
	detail := fmt.Sprintf("by admin %s over the API", admin.Username)
	n, err := resetTwoFactor(ctx, s.store, target, keep, s.now(), addr, detail)
	return target, n, err
}

// resetTwoFactor is what both reset-2fa and the admin route do, in one
// transaction: it ends every session of u but the family keep and returns
// how many.
func resetTwoFactor(ctx context.Context, st *store.Store, u store.User, keep string, now time.Time, addr, detail string) (int, error) {
	n := 0
	err := st.Tx(ctx, func(h store.Handle) error {
		if _, err := st.TwoFactor.Remove(ctx, h, u.ID); err != nil {
			return err
		}
		if err := st.TwoFactor.ResetFailures(ctx, h, u.ID); err != nil {
			return err
		}
		var err error
		if n, err = st.Tokens.RevokeSessions(ctx, h, u.ID, keep, now); err != nil {
			return err
		}
		uid := u.ID
		return st.Audit.Append(ctx, h, store.Event{At: now.UTC(), UserID: &uid, Username: u.Username, Event: EventAdminReset, ClientAddr: addr,
			Detail: fmt.Sprintf("%s; %s revoked", detail, count(n, "session"))})
	})
	return n, err
}

// Unlock clears an account's second-factor failure count and lock, and
// its consecutive failed sign-ins (the password throttle's account record;
// records of client addresses stay).
func (a *Admin) Unlock(ctx context.Context, username string) error {
	u, err := a.user(ctx, username)
	if err != nil {
		return err
	}
	return a.st.Tx(ctx, func(h store.Handle) error {
		if err := a.st.TwoFactor.ResetFailures(ctx, h, u.ID); err != nil {
			return err
		}
		if err := a.st.Throttle.Clear(ctx, h, store.ScopeAccount, userSubject(u.ID)); err != nil {
			return err
		}
		return a.appendAudit(ctx, h, u, EventUnlock, "by "+a.opts.Actor)
	})
}

// UserInfo is one account as list-users shows it.
type UserInfo = store.UserSummary

// ListUsers returns every account with role, 2FA state, codes left and lock.
func (a *Admin) ListUsers(ctx context.Context) ([]UserInfo, error) {
	list, err := a.st.Users.List(ctx, a.st.DB())
	if err != nil {
		return nil, err
	}
	now := a.opts.Now()
	for i := range list {
		if list[i].LockedUntil != nil && !list[i].LockedUntil.After(now) {
			list[i].LockedUntil = nil // an expired lock is no lock
		}
	}
	return list, nil
}

// AuditEvent is one audit log row.
type AuditEvent = store.Event

// Audit returns the newest audit events, of one user when username is not empty.
func (a *Admin) Audit(ctx context.Context, username string, limit int) ([]AuditEvent, error) {
	if limit <= 0 {
		limit = 100
	}
	return a.st.Audit.List(ctx, a.st.DB(), username, limit)
}

// RotateKey re-encrypts every TOTP secret under the first key of totpKeys
// (comma-separated Fernet keys, "" = derived from jwtSecret), in one
// transaction; it returns how many secrets it rewrote. Every key that
// encrypted a stored secret must still be in the list.
func (a *Admin) RotateKey(ctx context.Context, totpKeys, jwtSecret string) (int, error) {
	ring, err := keys.NewRing(totpKeys, jwtSecret)
	if err != nil {
		return 0, err
	}
	n := 0
	err = a.st.Tx(ctx, func(h store.Handle) error {
		secrets, err := a.st.TwoFactor.Secrets(ctx, h)
		if err != nil {
			return err
		}
		for _, e := range secrets {
			plain, err := ring.Decrypt(e.SecretEnc)
			if err != nil {
				return fmt.Errorf("user id %d: %w", e.UserID, err)
			}
			enc, err := ring.Encrypt(plain)
			if err != nil {
				return err
			}
			if err := a.st.TwoFactor.SetSecret(ctx, h, e.UserID, enc); err != nil {
				return err
			}
			n++
		}
		return a.st.Audit.Append(ctx, h, store.Event{At: a.opts.Now().UTC(), Username: "", Event: EventKeyRotated, ClientAddr: a.opts.Addr,
			Detail: fmt.Sprintf("%d secrets re-encrypted under the first key; by %s", n, a.opts.Actor)})
	})
	if err != nil {
		return 0, err
	}
	return n, nil
}
