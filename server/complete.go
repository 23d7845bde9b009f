package server

import (
	"context"
	"errors"
	"time"

	"github.com/twofa/twofa/internal/codes"
	"github.com/twofa/twofa/server/auth"
	"github.com/twofa/twofa/server/store"
)

// completing is a pending sign-in being completed: the hashes of its
// token and of the session it would issue, and the client's address.
type completing struct {
	pendingHash, sessionHash, addr string
}

// completion is the store's write of a TOTP code of the account's at step
// (nil when it matched none), checked against secretEnc, recorded as
// signed in by method.
func (s *Server) completion(c completing, userID int64, username, secretEnc string, step *int64, method string, now time.Time) store.Completion {
	return store.Completion{
		UserID: userID, Step: step, SecretEnc: secretEnc, PendingHash: c.pendingHash, SessionHash: c.sessionHash,
		Expires: now.Add(s.opts.AccessTTL),
		Audit:   store.Event{At: now.UTC(), Username: username, Event: EventSignInOK, ClientAddr: c.addr, Detail: method},
	}
}

// completeSignIn checks the second factor of a pending sign-in and returns
// a new session token; the pending token is spent by the success. A TOTP
// code for a sign-in this process issued is first tried on what the
// password step cached (completeCached); anything else, and anything that
// attempt did not accept, is decided on a fresh read (completeRead).
func (s *Server) completeSignIn(ctx context.Context, pendingToken string, in factor, addr string) (string, error) {
	session, sessionHash, err := auth.NewToken()
	if err != nil {
		return "", err
	}
	c := completing{pendingHash: auth.HashToken(pendingToken), sessionHash: sessionHash, addr: addr}
	if e, ok := s.pending.take(c.pendingHash, s.now()); ok && in.Backup == "" {
		done, err := s.completeCached(ctx, c, e, in.TOTP)
		if err != nil {
			return "", err
		}
		if done {
			return session, nil
		}
	}
	if err := s.completeRead(ctx, c, in); err != nil {
		return "", err
	}
	return session, nil
}

// completeCached completes a TOTP sign-in on e, in one statement that
// accepts the code's step only while the token, lock, step and secret
// allow (store.TryCompleteSignIn), and reports whether it did. A wrong
// code runs the same statement with no step, so that every refusal costs
// the same whatever the code, before completeRead decides it on a read:
// the answer to a locked account does not tell a right code from a wrong.
func (s *Server) completeCached(ctx context.Context, c completing, e pendingEntry, code string) (bool, error) {
	secret, err := s.ring.Decrypt(e.secretEnc)
	if err != nil {
		return false, err
	}
	now := s.now()
	var step *int64
	if code, ok := codes.NormalizeTOTP(code); ok {
		at, match, err := auth.MatchTOTP(string(secret), code, now)
		if err != nil {
			return false, err
		}
		if match {
			step = &at
		}
	}
	done, err := s.store.TryCompleteSignIn(ctx, s.completion(c, e.userID, e.username, e.secretEnc, step, "totp", now), now)
	if errors.Is(err, store.ErrNotFound) {
		return false, ErrPendingExpired
	}
	return done, err
}

// completeRead reads the pending sign-in, its account's guard and secret,
// and checks the second factor on them (verifyFactor).
func (s *Server) completeRead(ctx context.Context, c completing, in factor) error {
	p, err := s.store.Tokens.Pending(ctx, s.store.DB(), c.pendingHash, s.now())
	if errors.Is(err, store.ErrNotFound) {
		return ErrPendingExpired
	}
	if err != nil {
		return err
	}
	u := p.User
	if p.Enrollment.State != store.StateEnabled {
		return ErrNotEnabled
	}
	secret, err := s.ring.Decrypt(p.Enrollment.SecretEnc)
	if err != nil {
		return err
	}
	method := "totp"
	if in.Backup != "" {
		method = "backup_code"
	}
	return s.verifyFactor(ctx, check{
		user: u, secret: string(secret), in: in, guard: &p.Guard, addr: c.addr, route: "validate",
		finish: func(ctx context.Context, step int64, now time.Time) (store.Verdict, error) {
			v, err := s.store.CompleteSignIn(ctx, s.completion(c, u.ID, u.Username, p.Enrollment.SecretEnc, &step, method, now), now)
			if errors.Is(err, store.ErrNotFound) {
				return 0, ErrPendingExpired
			}
			return v, err
		},
		onSuccess: func(ctx context.Context, h store.Handle) (string, error) {
			now := s.now()
			if _, err := s.store.Tokens.ConsumePending(ctx, h, c.pendingHash, now); err != nil {
				if errors.Is(err, store.ErrNotFound) {
					return "", ErrPendingExpired
				}
				return "", err
			}
			return "", s.store.Tokens.Insert(ctx, h, store.NewToken{Hash: c.sessionHash, UserID: u.ID, Kind: store.KindSession}, now, now.Add(s.opts.AccessTTL))
		},
		event: EventSignInOK, detail: method,
	})
}
