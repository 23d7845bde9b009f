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
	// guard is the account's guard state when the caller has read it
	// already (validate reads it with the pending token); nil reads it.
	guard *store.Guard
	addr  string
	route string // for the audit detail
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
	// finish, when set, does a right TOTP's whole write itself, all or
	// nothing: the step's acceptance, the success's change and its audit
	// record (validate's store.CompleteSignIn, one round trip on Postgres),
	// in place of Accept, onSuccess and event in a transaction. A refused
	// step is charged or refused as there, in a transaction of its own.
	finish func(ctx context.Context, step int64, now time.Time) (store.Verdict, error)
}

// verifyFactor checks a second factor and decides in one write
// transaction, whose conditional UPDATE of the account row holds the
// rules: a right code is accepted only while the account is not locked
// and, for a TOTP, only in a step later than the last accepted one (else
// ErrReplay, which counts as a failure); a wrong code is charged only while
// it is not locked, and the charge that reaches MaxFailures locks it. A
// locked account is refused with a *LockedError before its code is looked
// at, and only the first refusal of each lock is audited. Acceptance,
// onSuccess, the cleared count and the audit rows commit together or not
// at all; a failure is charged even when the client has gone.
func (s *Server) verifyFactor(ctx context.Context, c check) error {
	if c.guard == nil {
		g, err := s.store.TwoFactor.Guard(ctx, s.store.DB(), c.user.ID)
		if err != nil {
			return err
		}
		c.guard = &g
	}
	now := s.now()
	if c.guard.Locked(now) {
		if c.guard.LockReported {
			return &LockedError{Until: *c.guard.LockedUntil}
		}
		return s.failTx(ctx, c, now, "", "")
	}
	if c.in.Backup != "" {
		return s.acceptBackup(ctx, c, now)
	}
	return s.acceptTOTP(ctx, c, now)
}

// acceptTOTP checks a TOTP code and, when right, accepts its step.
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
		return s.failTx(ctx, c, now, EventTwoFactorFailed, c.route+": wrong TOTP code")
	}
	if c.prepare != nil {
		if err := c.prepare(); err != nil {
			return err
		}
	}
	if c.finish != nil {
		return s.finishTOTP(ctx, c, now, step)
	}
	var verdict error
	err := s.store.Tx(ctx, func(h store.Handle) error {
		v, err := s.store.TwoFactor.Accept(ctx, h, c.user.ID, now, &step)
		switch {
		case err != nil:
			return err
		case v == store.Replayed:
			verdict, err = s.fail(ctx, h, c, now, EventReplayRefused, fmt.Sprintf("%s: time step %d already used", c.route, step))
			if verdict == nil {
				verdict = ErrReplay
			}
			return err
		case v == store.Refused:
			verdict, err = s.refuseLocked(ctx, h, c, now)
			return err
		}
		return s.commit(ctx, h, c, "")
	})
	if err != nil {
		return err
	}
	return verdict
}

// finishTOTP accepts a right TOTP's step through c.finish; a replayed
// step is charged as a failure and audited, a locked account refused.
func (s *Server) finishTOTP(ctx context.Context, c check, now time.Time, step int64) error {
	v, err := c.finish(ctx, step, now)
	switch {
	case err != nil:
		return err
	case v == store.Accepted:
		return nil
	case v == store.Refused:
		return s.failTx(ctx, c, now, "", "")
	}
	err = s.failTx(ctx, c, now, EventReplayRefused, fmt.Sprintf("%s: time step %d already used", c.route, step))
	if errors.Is(err, ErrInvalidCode) {
		return ErrReplay
	}
	return err
}

// acceptBackup checks a backup code and, when right and unused, spends it
// in the same transaction as onSuccess.
func (s *Server) acceptBackup(ctx context.Context, c check, now time.Time) error {
	const wrong = ": wrong or used backup code"
	code, ok := codes.CanonicalBackup(c.in.Backup)
	if !ok {
		return s.failTx(ctx, c, now, EventTwoFactorFailed, c.route+wrong)
	}
	id, hash, err := s.store.TwoFactor.FindBackupCode(ctx, s.store.DB(), c.user.ID, s.index.Of(c.user.ID, code))
	if errors.Is(err, store.ErrNotFound) {
		return s.failTx(ctx, c, now, EventTwoFactorFailed, c.route+wrong)
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
		return s.failTx(ctx, c, now, EventTwoFactorFailed, c.route+wrong)
	}
	if c.prepare != nil {
		if err := c.prepare(); err != nil {
			return err
		}
	}
	var verdict error
	err = s.store.Tx(ctx, func(h store.Handle) error {
		v, err := s.store.TwoFactor.Accept(ctx, h, c.user.ID, now, nil)
		if err != nil {
			return err
		}
		if v != store.Accepted {
			verdict, err = s.refuseLocked(ctx, h, c, now)
			return err
		}
		spent, err := s.store.TwoFactor.SpendBackupCode(ctx, h, id, now)
		if err != nil {
			return err
		}
		if !spent {
			// Lost the race for the code: undo the clearing, charge instead.
			return errSpent
		}
		return s.commit(ctx, h, c, EventBackupCodeUsed)
	})
	if errors.Is(err, errSpent) {
		return s.failTx(ctx, c, now, EventTwoFactorFailed, c.route+wrong)
	}
	if err != nil {
		return err
	}
	return verdict
}

// errSpent rolls back a redemption that lost the race for its backup code.
var errSpent = errors.New("backup code already spent")

// commit runs onSuccess and records the success on h, the transaction
// that accepted the factor; first, when set, is an event recorded before it.
func (s *Server) commit(ctx context.Context, h store.Handle, c check, first string) error {
	if first != "" {
		if err := s.auditIn(ctx, h, c.user, first, c.addr, c.route); err != nil {
			return err
		}
	}
	note, err := c.onSuccess(ctx, h)
	if err != nil {
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

// failTx charges a failed attempt in a transaction of its own (see fail),
// and refuses it when the account is locked; event "" only refuses. The
// transaction runs even when the request is cancelled: a failure counts.
func (s *Server) failTx(ctx context.Context, c check, now time.Time, event, detail string) error {
	ctx = context.WithoutCancel(ctx)
	var verdict error
	err := s.store.Tx(ctx, func(h store.Handle) error {
		var err error
		if event == "" {
			verdict, err = s.refuseLocked(ctx, h, c, now)
		} else {
			verdict, err = s.fail(ctx, h, c, now, event, detail)
		}
		return err
	})
	if err != nil {
		return err
	}
	if verdict == nil {
		verdict = ErrInvalidCode
		if c.in.Backup != "" {
			verdict = ErrInvalidBackupCode
		}
	}
	return verdict
}

// fail charges a failed attempt on h and records it as event, and the
// lockout when this charge set it. While the account is locked nothing is
// charged and the *LockedError to answer is returned as the verdict.
func (s *Server) fail(ctx context.Context, h store.Handle, c check, now time.Time, event, detail string) (verdict, err error) {
	ch, err := s.store.TwoFactor.ChargeFailure(ctx, h, c.user.ID, now, MaxFailures, LockDuration)
	if err != nil {
		return nil, err
	}
	if !ch.Allowed {
		return s.refuseLocked(ctx, h, c, now)
	}
	if err := s.auditIn(ctx, h, c.user, event, c.addr, detail); err != nil {
		return nil, err
	}
	if ch.LockedUntil != nil {
		lock := fmt.Sprintf("%s: %d failed attempts, locked until %s", c.route, ch.Failed, ch.LockedUntil.Format(time.RFC3339))
		if err := s.auditIn(ctx, h, c.user, EventLockout, c.addr, lock); err != nil {
			return nil, err
		}
	}
	return nil, nil
}

// refuseLocked answers an attempt at a locked account with the *LockedError
// verdict, auditing only the first refusal of each lock.
func (s *Server) refuseLocked(ctx context.Context, h store.Handle, c check, now time.Time) (verdict, err error) {
	until, first, err := s.store.TwoFactor.RefuseLocked(ctx, h, c.user.ID, now)
	if err != nil {
		return nil, err
	}
	if until == nil {
		// The lock ended meanwhile: refuse this one attempt for a second.
		t := now.Add(time.Second)
		until = &t
	}
	if first {
		if err := s.auditIn(ctx, h, c.user, EventLockedRefused, c.addr, fmt.Sprintf("%s: locked until %s; later refusals of this lock are not recorded", c.route, until.Format(time.RFC3339))); err != nil {
			return nil, err
		}
	}
	return &LockedError{Until: *until}, nil
}
