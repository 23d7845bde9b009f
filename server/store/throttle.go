package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// Scopes of a sign-in throttle row.
const (
	ScopeAddress = "address"
	ScopeAccount = "account"
)

// ThrottleRow is the failure record of one client address or one account.
type ThrottleRow struct {
	Scope        string
	Subject      string
	Failures     int       // checks that failed
	LastFailure  time.Time // zero when there is none
	Pending      int       // checks admitted and not yet settled
	PendingSince time.Time // when the last pending check was admitted
	Refused      int64     // attempts turned away while held
	Reported     int       // the Failures whose hold the audit log has recorded
}

// Throttle is the password sign-in throttle's state. Lock and Save work
// inside one transaction: Lock holds the row until it ends, so concurrent
// attempts on one subject, in any server process, are decided one at a
// time. Transactions lock the address row before the account row.
type Throttle interface {
	// Lock returns the row of (scope, subject), creating an empty one, and
	// locks it for the rest of the transaction.
	Lock(ctx context.Context, h Handle, scope, subject string) (ThrottleRow, error)
	// Save writes a row Lock returned.
	Save(ctx context.Context, h Handle, r ThrottleRow) error
	// Clear deletes the row of (scope, subject).
	Clear(ctx context.Context, h Handle, scope, subject string) error
	// Known reports whether account signed in from address at since or later.
	Known(ctx context.Context, h Handle, account, address string, since time.Time) (bool, error)
	// Remember records that account signed in from address at now.
	Remember(ctx context.Context, h Handle, account, address string, now time.Time) error
	// Purge deletes rows with nothing pending whose last failure is before
	// failedBefore, and known addresses last used before knownBefore.
	Purge(ctx context.Context, h Handle, failedBefore, knownBefore time.Time) error
}

type throttle struct{}

// unix is t in Unix seconds, 0 for the zero time.
func unix(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.Unix()
}

// fromUnix is the inverse of unix.
func fromUnix(s int64) time.Time {
	if s == 0 {
		return time.Time{}
	}
	return time.Unix(s, 0).UTC()
}

const (
	lockThrottleSQL = `
INSERT INTO signin_throttle (scope, subject) VALUES ($1, $2)
ON CONFLICT (scope, subject) DO UPDATE SET failures = signin_throttle.failures
RETURNING failures, last_failure, pending, pending_since, refused, reported`
	saveThrottleSQL = `
UPDATE signin_throttle SET failures = $3, last_failure = $4, pending = $5, pending_since = $6, refused = $7, reported = $8
WHERE scope = $1 AND subject = $2`
	knownSQL    = "SELECT 1 FROM signin_known WHERE account = $1 AND address = $2 AND last_ok >= $3"
	rememberSQL = `
INSERT INTO signin_known (account, address, last_ok) VALUES ($1, $2, $3)
ON CONFLICT (account, address) DO UPDATE SET last_ok = excluded.last_ok`
)

func (throttle) Lock(ctx context.Context, h Handle, scope, subject string) (ThrottleRow, error) {
	// The no-op DO UPDATE makes the statement lock an existing row (on
	// Postgres; a SQLite transaction already holds the database's write
	// lock) and return it, in one round trip.
	r := ThrottleRow{Scope: scope, Subject: subject}
	var last, since int64
	err := h.QueryRowContext(ctx, lockThrottleSQL, scope, subject).Scan(&r.Failures, &last, &r.Pending, &since, &r.Refused, &r.Reported)
	if err != nil {
		return ThrottleRow{}, fmt.Errorf("lock sign-in throttle: %w", err)
	}
	r.LastFailure, r.PendingSince = fromUnix(last), fromUnix(since)
	return r, nil
}

func (throttle) Save(ctx context.Context, h Handle, r ThrottleRow) error {
	_, err := h.ExecContext(ctx, saveThrottleSQL,
		r.Scope, r.Subject, r.Failures, unix(r.LastFailure), r.Pending, unix(r.PendingSince), r.Refused, r.Reported)
	if err != nil {
		return fmt.Errorf("save sign-in throttle: %w", err)
	}
	return nil
}

func (throttle) Clear(ctx context.Context, h Handle, scope, subject string) error {
	if _, err := h.ExecContext(ctx, "DELETE FROM signin_throttle WHERE scope = $1 AND subject = $2", scope, subject); err != nil {
		return fmt.Errorf("clear sign-in throttle: %w", err)
	}
	return nil
}

func (throttle) Known(ctx context.Context, h Handle, account, address string, since time.Time) (bool, error) {
	var one int
	err := h.QueryRowContext(ctx, knownSQL, account, address, since.Unix()).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("look up known address: %w", err)
	}
	return true, nil
}

func (throttle) Remember(ctx context.Context, h Handle, account, address string, now time.Time) error {
	_, err := h.ExecContext(ctx, rememberSQL, account, address, now.Unix())
	if err != nil {
		return fmt.Errorf("remember known address: %w", err)
	}
	return nil
}

func (throttle) Purge(ctx context.Context, h Handle, failedBefore, knownBefore time.Time) error {
	// One scope per statement: a purge then never holds a row of one scope
	// while waiting for a row of the other, so it cannot deadlock with a
	// sign-in holding an address row and waiting for an account row.
	for _, scope := range []string{ScopeAddress, ScopeAccount} {
		if _, err := h.ExecContext(ctx, "DELETE FROM signin_throttle WHERE scope = $1 AND last_failure < $2 AND pending = 0", scope, failedBefore.Unix()); err != nil {
			return fmt.Errorf("purge sign-in throttle: %w", err)
		}
	}
	if _, err := h.ExecContext(ctx, "DELETE FROM signin_known WHERE last_ok < $1", knownBefore.Unix()); err != nil {
		return fmt.Errorf("purge known addresses: %w", err)
	}
	return nil
}
