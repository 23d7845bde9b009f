package server

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/twofa/twofa/internal/codes"
	"github.com/twofa/twofa/server/auth"
	"github.com/twofa/twofa/server/store"
)

// factor is a second factor as submitted: exactly one of TOTP or Backup is set.
type factor struct {
	TOTP   string
	Backup string
}

// check describes one second-factor check on a route.
type check struct {
	user   store.User
	secret string // base32 TOTP secret, decrypted
	in     factor
	addr   string
	route  string // for the audit detail
	// prepare, when set, runs once the code is known to be right and before
	// the transaction, for expensive work (hashing a new backup set).
	prepare func() error
	// onSuccess runs in the transaction that accepts the factor; its error
	// rolls everything back (step, backup code, reset) and is returned. Its
	// note, when not empty, is added to the audit detail.
	onSuccess func(ctx context.Context, h store.Handle) (note string, err error)
	// event and detail are the audit record of a success, written in the
	// same transaction, so no accepted change exists without its record.
	event, detail string
}

// commit runs onSuccess, resets the failure count and records the success
// on h, the transaction that accepted the factor.
func (s *Server) commit(ctx context.Context, h store.Handle, c check) error {
	note, err := c.onSuccess(ctx, h)
	if err != nil {
		return err
	}
	if err := s.store.TwoFactor.ResetFailures(ctx, h, c.user.ID); err != nil {
		return err
	}
	detail := c.detail
	if note != "" && detail != "" {
		detail += "; " + note
	} else if note != "" {
		detail = note
	}
	return s.auditIn(ctx, h, c.user, c.event, c.addr, detail)
}

// verifyFactor charges the attempt against the account first (one
// conditional statement; refused outright with a *LockedError while
// locked), then checks the code. A TOTP is accepted only in a step later
// than the last accepted one (else ErrReplay); a backup code is found
// through its keyed index (a wrong code costs no derivation) and spent by
// one conditional UPDATE. Acceptance, onSuccess and the reset of the
// failure count commit together or not at all.
func (s *Server) verifyFactor(ctx context.Context, c check) error {
	now := s.now()
	charge, err := s.store.TwoFactor.ChargeFailure(ctx, s.store.DB(), c.user.ID, now, MaxFailures, LockDuration)
	if err != nil {
		return err
	}
	if !charge.Allowed {
		locked := &LockedError{Until: now}
		if charge.LockedUntil != nil {
			locked.Until = *charge.LockedUntil
		}
		s.audit(ctx, nil, c.user, EventLockedRefused, c.addr, c.route)
		return locked
	}
	if c.in.Backup != "" {
		err = s.acceptBackup(ctx, c)
	} else {
		err = s.acceptTOTP(ctx, c, now)
	}
	// The charge that reached the limit set the lock; it stands only if
	// this attempt failed too (a success has just cleared it).
	if charge.LockedUntil != nil && (errors.Is(err, ErrInvalidCode) || errors.Is(err, ErrReplay)) {
		s.audit(ctx, nil, c.user, EventLockout, c.addr, fmt.Sprintf("%s: %d failed attempts, locked until %s", c.route, charge.Failed, charge.LockedUntil.Format(time.RFC3339)))
	}
	return err
}

// acceptTOTP checks a TOTP code and, when right and fresh, commits.
func (s *Server) acceptTOTP(ctx context.Context, c check, now time.Time) error {
	code, ok := codes.NormalizeTOTP(c.in.TOTP)
	var step int64
	if ok {
		var err error
		step, ok, err = auth.MatchTOTP(c.secret, code, now)
		if err != nil {
			return err
		}
	}
	if !ok {
		s.audit(ctx, nil, c.user, EventTwoFactorFailed, c.addr, c.route+": wrong TOTP code")
		return ErrInvalidCode
	}
	if c.prepare != nil {
		if err := c.prepare(); err != nil {
			return err
		}
	}
	err := s.store.Tx(ctx, func(h store.Handle) error {
		fresh, err := s.store.TwoFactor.AcceptStep(ctx, h, c.user.ID, step)
		if err != nil {
			return err
		}
		if !fresh {
			return ErrReplay
		}
		return s.commit(ctx, h, c)
	})
	if errors.Is(err, ErrReplay) {
		s.audit(ctx, nil, c.user, EventReplayRefused, c.addr, fmt.Sprintf("%s: time step %d already used", c.route, step))
	}
	return err
}

// acceptBackup checks a backup code and, when right and unused, spends it
// in the same transaction as onSuccess.
func (s *Server) acceptBackup(ctx context.Context, c check) error {
	wrong := func() error {
		s.audit(ctx, nil, c.user, EventTwoFactorFailed, c.addr, c.route+": wrong or used backup code")
		return ErrInvalidBackupCode
	}
	code, ok := codes.CanonicalBackup(c.in.Backup)
	if !ok {
		return wrong()
	}
	id, hash, err := s.store.TwoFactor.FindBackupCode(ctx, s.store.DB(), c.user.ID, s.index.Of(c.user.ID, code))
	if errors.Is(err, store.ErrNotFound) {
		return wrong()
	}
	if err != nil {
		return err
	}
	s.backupDerivations.Add(1)
	match, err := auth.VerifyContext(ctx, code, hash)
	if err != nil {
		return err
	}
	if !match {
		return wrong()
	}
	if c.prepare != nil {
		if err := c.prepare(); err != nil {
			return err
		}
	}
	err = s.store.Tx(ctx, func(h store.Handle) error {
		ok, err := s.store.TwoFactor.SpendBackupCode(ctx, h, id, s.now())
		if err != nil {
			return err
		}
		if !ok {
			return errSpent
		}
		if err := s.auditIn(ctx, h, c.user, EventBackupCodeUsed, c.addr, c.route); err != nil {
			return err
		}
		return s.commit(ctx, h, c)
	})
	if errors.Is(err, errSpent) {
		return wrong()
	}
	return err
}

// errSpent rolls back a redemption that lost the race for its backup code.
var errSpent = errors.New("backup code already spent")
