package server

import (
	"context"
	"errors"
	"time"

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
	on, err := s.twoFactorOn(ctx, u.ID)
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
	return signInResult{token: token, pending: on}, nil
}

// completeSignIn checks the second factor of a pending sign-in and returns
// a new session token; the pending token is spent by the success.
func (s *Server) completeSignIn(ctx context.Context, pendingToken string, in factor, addr string) (string, error) {
	pendingHash := auth.HashToken(pendingToken)
	p, err := s.store.Tokens.Pending(ctx, s.store.DB(), pendingHash, s.now())
	if errors.Is(err, store.ErrNotFound) {
		return "", ErrPendingExpired
	}
	if err != nil {
		return "", err
	}
	u := p.User
	if p.Enrollment.State != store.StateEnabled {
		return "", ErrNotEnabled
	}
	secret, err := s.ring.Decrypt(p.Enrollment.SecretEnc)
	if err != nil {
		return "", err
	}
	session, sessionHash, err := auth.NewToken()
	if err != nil {
		return "", err
	}
	method := "totp"
	if in.Backup != "" {
		method = "backup_code"
	}
	err = s.verifyFactor(ctx, check{
		user: u, secret: string(secret), in: in, guard: &p.Guard, addr: addr, route: "validate",
		finish: func(ctx context.Context, step int64, now time.Time) (store.Verdict, error) {
			v, err := s.store.CompleteSignIn(ctx, store.Completion{
				UserID: u.ID, Step: step, PendingHash: pendingHash, SessionHash: sessionHash,
				Expires: now.Add(s.opts.AccessTTL),
				Audit:   store.Event{At: now.UTC(), Username: u.Username, Event: EventSignInOK, ClientAddr: addr, Detail: method},
			}, now)
			if errors.Is(err, store.ErrNotFound) {
				return 0, ErrPendingExpired
			}
			return v, err
		},
		onSuccess: func(ctx context.Context, h store.Handle) (string, error) {
			now := s.now()
			if _, err := s.store.Tokens.ConsumePending(ctx, h, pendingHash, now); err != nil {
				if errors.Is(err, store.ErrNotFound) {
					return "", ErrPendingExpired
				}
				return "", err
			}
			return "", s.store.Tokens.Insert(ctx, h, store.NewToken{Hash: sessionHash, UserID: u.ID, Kind: store.KindSession}, now, now.Add(s.opts.AccessTTL))
		},
		event: EventSignInOK, detail: method,
	})
	if err != nil {
		return "", err
	}
	return session, nil
}
