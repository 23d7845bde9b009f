package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// Guard is an account's second-factor guard state as read.
type Guard struct {
	Failed      int
	LockedUntil *time.Time
	// LockReported is set when the first refusal of the current lock is
	// already in the audit log.
	LockReported bool
}

// Locked reports whether the guard holds a lock still running at now.
func (g Guard) Locked(now time.Time) bool {
	return g.LockedUntil != nil && g.LockedUntil.After(now)
}

// Charge is the outcome of charging one failed second-factor attempt.
type Charge struct {
	// Allowed is false when the account was locked and nothing was charged.
	Allowed bool
	// Failed is the count after charging (when Allowed).
	Failed int
	// LockedUntil is set when this charge locked the account.
	LockedUntil *time.Time
}

// Verdict is what Accept decided.
type Verdict int

// Accept's verdicts.
const (
	Accepted Verdict = iota // count cleared (and the step recorded)
	Refused                 // the account is locked
	Replayed                // the step is not later than the last accepted one
)

// guardColumns reads a Guard with scanGuard.
const guardColumns = "tfa_failed, tfa_locked_until, tfa_locked_until IS NOT NULL AND tfa_lock_reported IS NOT NULL AND tfa_lock_reported = tfa_locked_until"

const guardSQL = "SELECT " + guardColumns + " FROM users WHERE id = $1"

// guardDest is where a row's guardColumns are scanned.
type guardDest struct {
	failed   int
	locked   sql.NullInt64
	reported sql.NullBool
}

func (d *guardDest) dest() []any { return []any{&d.failed, &d.locked, &d.reported} }

func (d *guardDest) guard() Guard {
	g := Guard{Failed: d.failed, LockedUntil: unixOrNil(d.locked), LockReported: d.reported.Valid && d.reported.Bool}
	return g
}

// unixOrNil is a nullable Unix time column as a *time.Time.
func unixOrNil(v sql.NullInt64) *time.Time {
	if !v.Valid {
		return nil
	}
	t := time.Unix(v.Int64, 0).UTC()
	return &t
}

func (twoFactor) Guard(ctx context.Context, h Handle, userID int64) (Guard, error) {
	var d guardDest
	err := h.QueryRowContext(ctx, guardSQL, userID).Scan(d.dest()...)
	if errors.Is(err, sql.ErrNoRows) {
		return Guard{}, ErrNotFound
	}
	if err != nil {
		return Guard{}, fmt.Errorf("read 2FA guard: %w", err)
	}
	return d.guard(), nil
}

const chargeSQL = `
UPDATE users SET
    tfa_failed = CASE WHEN tfa_locked_until IS NOT NULL THEN 1 ELSE tfa_failed + 1 END,
    tfa_locked_until = CASE WHEN tfa_locked_until IS NULL AND tfa_failed + 1 >= $3 THEN CAST($4 AS BIGINT) ELSE NULL END
WHERE id = $1 AND (tfa_locked_until IS NULL OR tfa_locked_until <= $2)
RETURNING tfa_failed, tfa_locked_until`

func (twoFactor) ChargeFailure(ctx context.Context, h Handle, userID int64, now time.Time, limit int, lockFor time.Duration) (Charge, error) {
	var failed int
	var locked sql.NullInt64
	err := h.QueryRowContext(ctx, chargeSQL, userID, now.Unix(), limit, now.Add(lockFor).Unix()).Scan(&failed, &locked)
	if errors.Is(err, sql.ErrNoRows) {
		return Charge{}, nil
	}
	if err != nil {
		return Charge{}, fmt.Errorf("charge 2FA attempt: %w", err)
	}
	return Charge{Allowed: true, Failed: failed, LockedUntil: unixOrNil(locked)}, nil
}

const (
	acceptStepSQL = `
UPDATE users SET totp_last_step = $3, tfa_failed = 0, tfa_locked_until = NULL, tfa_lock_reported = NULL
WHERE id = $1 AND (tfa_locked_until IS NULL OR tfa_locked_until <= $2) AND (totp_last_step IS NULL OR totp_last_step < $3)`
	acceptSQL = `
UPDATE users SET tfa_failed = 0, tfa_locked_until = NULL, tfa_lock_reported = NULL
WHERE id = $1 AND (tfa_locked_until IS NULL OR tfa_locked_until <= $2)`
)

func (tf twoFactor) Accept(ctx context.Context, h Handle, userID int64, now time.Time, step *int64) (Verdict, error) {
	var res sql.Result
	var err error
	if step != nil {
		res, err = h.ExecContext(ctx, acceptStepSQL, userID, now.Unix(), *step)
	} else {
		res, err = h.ExecContext(ctx, acceptSQL, userID, now.Unix())
	}
	if err != nil {
		return 0, fmt.Errorf("accept second factor: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 1 {
		return Accepted, nil
	}
	return tf.refusal(ctx, h, userID, now, step != nil)
}

// refusal reads which condition refused an acceptance (the rare path):
// the lock, or for a TOTP (withStep) the step not above the last one.
func (tf twoFactor) refusal(ctx context.Context, h Handle, userID int64, now time.Time, withStep bool) (Verdict, error) {
	g, err := tf.Guard(ctx, h, userID)
	if err != nil {
		return 0, err
	}
	if g.Locked(now) || !withStep {
		return Refused, nil
	}
	return Replayed, nil
}

const refuseSQL = `
UPDATE users SET tfa_lock_reported = tfa_locked_until
WHERE id = $1 AND tfa_locked_until > $2 AND (tfa_lock_reported IS NULL OR tfa_lock_reported <> tfa_locked_until)
RETURNING tfa_locked_until`

func (tf twoFactor) RefuseLocked(ctx context.Context, h Handle, userID int64, now time.Time) (*time.Time, bool, error) {
	var until int64
	err := h.QueryRowContext(ctx, refuseSQL, userID, now.Unix()).Scan(&until)
	if err == nil {
		t := time.Unix(until, 0).UTC()
		return &t, true, nil
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return nil, false, fmt.Errorf("refuse locked 2FA attempt: %w", err)
	}
	g, err := tf.Guard(ctx, h, userID)
	if err != nil {
		return nil, false, err
	}
	if !g.Locked(now) {
		return nil, false, nil
	}
	return g.LockedUntil, false, nil
}

func (twoFactor) ResetFailures(ctx context.Context, h Handle, userID int64) error {
	if _, err := h.ExecContext(ctx, "UPDATE users SET tfa_failed = 0, tfa_locked_until = NULL, tfa_lock_reported = NULL WHERE id = $1", userID); err != nil {
		return fmt.Errorf("reset 2FA failures: %w", err)
	}
	return nil
}
