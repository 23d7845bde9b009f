package server

import (
	"context"
	"errors"
	"fmt"
	"math"
	"net/http"
	"time"

	"github.com/twofa/twofa/internal/codes"
	"github.com/twofa/twofa/server/auth"
	"github.com/twofa/twofa/server/httpx"
	"github.com/twofa/twofa/server/store"
)

// factor is a second factor as submitted: exactly one of TOTP or Backup is set.
type factor struct {
	TOTP   string
	Backup string
}

// check describes one second-factor check on a route.
type check struct {
	user      store.User
	secret    string // base32 TOTP secret, decrypted
	in        factor
	addr      string
	route     string // for the audit detail
	badStatus int    // status for a wrong code: 401 at validate, 400 elsewhere
	// prepare, when set, runs once the code is known to be right and before
	// the transaction, for expensive work (hashing a new backup set).
	prepare func() error
	// onSuccess runs in the transaction that accepts the factor; its error
	// rolls everything back (step, backup code, reset) and is returned.
	onSuccess func(ctx context.Context, h store.Handle) error
	// event and detail are the audit record of a success, written in the
	// same transaction, so no accepted change exists without its record.
	event, detail string
}

// commit runs onSuccess, resets the failure count and records the success
// on h, the transaction that accepted the factor.
func (s *Server) commit(ctx context.Context, h store.Handle, c check) error {
	if err := c.onSuccess(ctx, h); err != nil {
		return err
	}
	if err := s.store.TwoFactor.ResetFailures(ctx, h, c.user.ID); err != nil {
		return err
	}
	return s.auditIn(ctx, h, c.user, c.event, c.addr, c.detail)
}

// lockedError is the 429 answer while an account is locked.
func lockedError(seconds int) *httpx.Error {
	if seconds < 1 {
		seconds = 1
	}
	e := httpx.Errorf(http.StatusTooManyRequests, "locked_out", "Too many failed 2FA attempts. Try again in %d seconds.", seconds)
	e.RetryAfter = seconds
	return e
}

// verifyFactor charges the attempt against the account first (one
// conditional statement; refused outright while locked), then checks the
// code. A TOTP is accepted only in a step later than the last accepted one;
// a backup code is found through its keyed index (a wrong code costs no
// derivation) and spent by one conditional UPDATE. Acceptance, onSuccess
// and the reset of the failure count commit together or not at all.
func (s *Server) verifyFactor(ctx context.Context, r *http.Request, c check) *httpx.Error {
	now := s.now()
	charge, err := s.store.TwoFactor.ChargeFailure(ctx, s.store.DB(), c.user.ID, now, MaxFailures, LockDuration)
	if err != nil {
		return s.internal(r, err)
	}
	if !charge.Allowed {
		secs := 1
		if charge.LockedUntil != nil {
			secs = int(math.Ceil(charge.LockedUntil.Sub(now).Seconds()))
		}
		s.audit(ctx, nil, c.user, EventLockedRefused, c.addr, c.route)
		return lockedError(secs)
	}
	var herr *httpx.Error
	if c.in.Backup != "" {
		herr = s.acceptBackup(ctx, r, c)
	} else {
		herr = s.acceptTOTP(ctx, r, c, now)
	}
	// The charge that reached the limit set the lock; it stands only if
	// this attempt failed too (a success has just cleared it).
	if herr != nil && charge.LockedUntil != nil && (herr.Code == "invalid_code" || herr.Code == "code_reused") {
		s.audit(ctx, nil, c.user, EventLockout, c.addr, fmt.Sprintf("%s: %d failed attempts, locked until %s", c.route, charge.Failed, charge.LockedUntil.Format(time.RFC3339)))
	}
	return herr
}

// acceptTOTP checks a TOTP code and, when right and fresh, commits.
func (s *Server) acceptTOTP(ctx context.Context, r *http.Request, c check, now time.Time) *httpx.Error {
	code, ok := codes.NormalizeTOTP(c.in.TOTP)
	var step int64
	if ok {
		var err error
		step, ok, err = auth.MatchTOTP(c.secret, code, now)
		if err != nil {
			return s.internal(r, err)
		}
	}
	if !ok {
		s.audit(ctx, nil, c.user, EventTwoFactorFailed, c.addr, c.route+": wrong TOTP code")
		return httpx.Errorf(c.badStatus, "invalid_code", "Invalid 2FA code. Check your authenticator app and try again.")
	}
	if c.prepare != nil {
		if err := c.prepare(); err != nil {
			return s.internal(r, err)
		}
	}
	var replay bool
	err := s.store.Tx(ctx, func(h store.Handle) error {
		fresh, err := s.store.TwoFactor.AcceptStep(ctx, h, c.user.ID, step)
		if err != nil {
			return err
		}
		if !fresh {
			replay = true
			return errReplay
		}
		return s.commit(ctx, h, c)
	})
	if replay {
		s.audit(ctx, nil, c.user, EventReplayRefused, c.addr, fmt.Sprintf("%s: time step %d already used", c.route, step))
		return httpx.Errorf(http.StatusUnauthorized, "code_reused", "This code has already been used. Wait for a new code.")
	}
	return s.txError(r, err)
}

var errReplay = errors.New("totp step already used")

// acceptBackup checks a backup code and, when right and unused, spends it
// in the same transaction as onSuccess.
func (s *Server) acceptBackup(ctx context.Context, r *http.Request, c check) *httpx.Error {
	wrong := func() *httpx.Error {
		s.audit(ctx, nil, c.user, EventTwoFactorFailed, c.addr, c.route+": wrong or used backup code")
		return httpx.Errorf(c.badStatus, "invalid_code", "Invalid backup code. Each backup code works only once.")
	}
	code, ok := codes.NormalizeBackup(c.in.Backup)
	if !ok {
		return wrong()
	}
	id, hash, err := s.store.TwoFactor.FindBackupCode(ctx, s.store.DB(), c.user.ID, s.index.Of(c.user.ID, code))
	if errors.Is(err, store.ErrNotFound) {
		return wrong()
	}
	if err != nil {
		return s.internal(r, err)
	}
	s.backupDerivations.Add(1)
	match, err := auth.VerifyContext(ctx, code, hash)
	if err != nil {
		return s.internal(r, err)
	}
	if !match {
		return wrong()
	}
	if c.prepare != nil {
		if err := c.prepare(); err != nil {
			return s.internal(r, err)
		}
	}
	var spent bool
	err = s.store.Tx(ctx, func(h store.Handle) error {
		ok, err := s.store.TwoFactor.SpendBackupCode(ctx, h, id, s.now())
		if err != nil {
			return err
		}
		if !ok {
			spent = true
			return errSpent
		}
		if err := s.auditIn(ctx, h, c.user, EventBackupCodeUsed, c.addr, c.route); err != nil {
			return err
		}
		return s.commit(ctx, h, c)
	})
	if spent {
		return wrong()
	}
	return s.txError(r, err)
}

var errSpent = errors.New("backup code already spent")

// txError turns a transaction's error into an answer: an *httpx.Error from
// onSuccess is returned as is, anything else is internal.
func (s *Server) txError(r *http.Request, err error) *httpx.Error {
	if err == nil {
		return nil
	}
	var he *httpx.Error
	if errors.As(err, &he) {
		return he
	}
	return s.internal(r, err)
}
