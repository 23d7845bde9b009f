package server

import (
	"context"
	"errors"

	"github.com/twofa/twofa/server/auth"
	"github.com/twofa/twofa/server/store"
)

// signInResult is what a password sign-in gives: a session token, or with
// 2FA on a pending token that only completeSignIn accepts.
type signInResult struct {
	token   string
	pending bool
}

// signIn checks a username and password through the sign-in throttle
// (see ThrottlePolicy). An unknown name costs the same derivation and is
// throttled the same way as a real one, so names cannot be probed.
func (s *Server) signIn(ctx context.Context, username, password, addr string) (signInResult, error) {
	u, err := s.store.Users.ByName(ctx, s.store.DB(), username)
	detail := "wrong password"
	if errors.Is(err, store.ErrNotFound) {
		u, detail = store.User{}, "unknown username"
	} else if err != nil {
		return signInResult{}, err
	}
	if err := s.checkPassword(ctx, u, username, password, addr, EventSignInFailed, detail); err != nil {
		if errors.Is(err, errWrongPassword) {
			return signInResult{}, ErrInvalidCredentials
		}
		return signInResult{}, err
	}
	enr, on, err := s.enabledEnrollment(ctx, u.ID)
	if err != nil {
		return signInResult{}, err
	}
	kind, ttl := store.KindSession, s.opts.AccessTTL
	if on {
		kind, ttl = store.KindPending, PendingTTL
	}
	token, hash, err := auth.NewToken()
	if err != nil {
		return signInResult{}, err
	}
	now := s.now()
	event, detail := EventSignInOK, "password"
	if on {
		event, detail = EventSignInPassword, "password accepted; second factor required"
	}
	err = s.store.Tx(ctx, func(h store.Handle) error {
		if err := s.store.Tokens.Insert(ctx, h, store.NewToken{Hash: hash, UserID: u.ID, Kind: kind}, now, now.Add(ttl)); err != nil {
			return err
		}
		return s.auditIn(ctx, h, u, event, addr, detail)
	})
	if err != nil {
		return signInResult{}, err
	}
	if on {
		s.pending.put(hash, pendingEntry{userID: u.ID, username: u.Username, secretEnc: enr.SecretEnc, expires: now.Add(ttl)}, now)
	}
	return signInResult{token: token, pending: on}, nil
}
