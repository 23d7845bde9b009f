package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// Enrollment states of a TOTP secret.
const (
	StatePending = "pending"
	StateEnabled = "enabled"
)

// Enrollment is an account's TOTP secret (still encrypted) and its state.
type Enrollment struct {
	UserID    int64
	SecretEnc string
	State     string
	EnabledAt *time.Time
}

// NewBackupCode is a backup code ready to store: its keyed index and salted hash.
type NewBackupCode struct {
	Index string
	Hash  string
}

// TwoFactor is the second-factor aggregate: secret, backup codes, and the
// guard state (failure count, lock, last accepted TOTP step).
type TwoFactor interface {
	// Enrollment returns the account's TOTP secret row; ErrNotFound when none.
	Enrollment(ctx context.Context, h Handle, userID int64) (Enrollment, error)
	// StartEnrollment stores a pending secret and its backup codes, replacing
	// any pending enrollment; ErrConflict when 2FA is already enabled.
	StartEnrollment(ctx context.Context, h Handle, userID int64, secretEnc string, codes []NewBackupCode, now time.Time) error
	// Enable turns the pending enrollment on if its secret is still
	// secretEnc (compare-and-set): ErrChanged when a newer setup replaced
	// it, ErrConflict when 2FA is already on, ErrNotFound when nothing is pending.
	Enable(ctx context.Context, h Handle, userID int64, secretEnc string, now time.Time) error
	// Remove deletes the secret and every backup code; it reports whether a secret existed.
	Remove(ctx context.Context, h Handle, userID int64) (bool, error)
	// Guard reads the account's failure count and lock; ErrNotFound when absent.
	Guard(ctx context.Context, h Handle, userID int64) (Guard, error)
	// ChargeFailure counts one failed attempt against the account in one
	// conditional statement, locking it when the count reaches limit. While
	// locked nothing is charged and Allowed is false.
	ChargeFailure(ctx context.Context, h Handle, userID int64, now time.Time, limit int, lockFor time.Duration) (Charge, error)
	// Accept clears the failure count of an account that is not locked, in
	// one conditional statement; with a step (a TOTP) it also records the
	// step as used, and only when it is later than the last one. Its
	// verdict says which condition refused it.
	Accept(ctx context.Context, h Handle, userID int64, now time.Time, step *int64) (Verdict, error)
	// RefuseLocked marks the account's current lock as reported and says
	// whether this refusal was its first (the one to audit), and when the
	// lock ends; nil when the account is not locked at now.
	RefuseLocked(ctx context.Context, h Handle, userID int64, now time.Time) (until *time.Time, first bool, err error)
	// ResetFailures clears the count and any lock.
	ResetFailures(ctx context.Context, h Handle, userID int64) error
	// AcceptStep records a TOTP time step as used, in one conditional
	// statement; it reports false when the step is not later than the last one.
	AcceptStep(ctx context.Context, h Handle, userID int64, step int64) (bool, error)
	// FindBackupCode returns the unused, active backup code with this index; ErrNotFound otherwise.
	FindBackupCode(ctx context.Context, h Handle, userID int64, index string) (id int64, hash string, err error)
	// SpendBackupCode marks one unused code used; it reports false when it was already spent or gone.
	SpendBackupCode(ctx context.Context, h Handle, id int64, now time.Time) (bool, error)
	// ReplaceBackupCodes deletes every backup code of the account and stores a new set.
	ReplaceBackupCodes(ctx context.Context, h Handle, userID int64, codes []NewBackupCode, now time.Time) error
	// CountBackupCodes returns how many codes of the current set are unused, and the set's size.
	CountBackupCodes(ctx context.Context, h Handle, userID int64) (remaining, total int, err error)
	// Secrets returns every stored secret, for key rotation.
	Secrets(ctx context.Context, h Handle) ([]Enrollment, error)
	// SetSecret replaces one account's encrypted secret, for key rotation.
	SetSecret(ctx context.Context, h Handle, userID int64, secretEnc string) error
}

type twoFactor struct{}

const (
	enrollmentSQL  = "SELECT secret_enc, state, enabled_at FROM totp_secrets WHERE user_id = $1"
	spendBackupSQL = "UPDATE backup_codes SET used_at = $2 WHERE id = $1 AND used_at IS NULL"
	findBackupSQL  = `
SELECT b.id, b.hash FROM backup_codes b JOIN totp_secrets t ON t.user_id = b.user_id
WHERE b.user_id = $1 AND b.idx = $2 AND b.used_at IS NULL AND t.state = 'enabled'`
)

func (twoFactor) Enrollment(ctx context.Context, h Handle, userID int64) (Enrollment, error) {
	e := Enrollment{UserID: userID}
	var enabled sql.NullInt64
	err := h.QueryRowContext(ctx, enrollmentSQL, userID).
		Scan(&e.SecretEnc, &e.State, &enabled)
	if errors.Is(err, sql.ErrNoRows) {
		return Enrollment{}, ErrNotFound
	}
	if err != nil {
		return Enrollment{}, fmt.Errorf("read 2FA enrollment: %w", err)
	}
	if enabled.Valid {
		t := time.Unix(enabled.Int64, 0).UTC()
		e.EnabledAt = &t
	}
	return e, nil
}

func (tf twoFactor) StartEnrollment(ctx context.Context, h Handle, userID int64, secretEnc string, codes []NewBackupCode, now time.Time) error {
	res, err := h.ExecContext(ctx, `
INSERT INTO totp_secrets (user_id, secret_enc, state, created_at) VALUES ($1, $2, 'pending', $3)
ON CONFLICT (user_id) DO UPDATE SET secret_enc = excluded.secret_enc, created_at = excluded.created_at
WHERE totp_secrets.state = 'pending'`, userID, secretEnc, now.Unix())
	if err != nil {
		return fmt.Errorf("store pending 2FA secret: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return ErrConflict
	}
	return tf.ReplaceBackupCodes(ctx, h, userID, codes, now)
}

func (tf twoFactor) Enable(ctx context.Context, h Handle, userID int64, secretEnc string, now time.Time) error {
	res, err := h.ExecContext(ctx,
		"UPDATE totp_secrets SET state = 'enabled', enabled_at = $2 WHERE user_id = $1 AND state = 'pending' AND secret_enc = $3",
		userID, now.Unix(), secretEnc)
	if err != nil {
		return fmt.Errorf("enable 2FA: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 1 {
		return nil
	}
	e, err := tf.Enrollment(ctx, h, userID)
	switch {
	case err != nil:
		return err
	case e.State == StateEnabled:
		return ErrConflict
	default:
		return ErrChanged
	}
}

func (twoFactor) Remove(ctx context.Context, h Handle, userID int64) (bool, error) {
	if _, err := h.ExecContext(ctx, "DELETE FROM backup_codes WHERE user_id = $1", userID); err != nil {
		return false, fmt.Errorf("delete backup codes: %w", err)
	}
	res, err := h.ExecContext(ctx, "DELETE FROM totp_secrets WHERE user_id = $1", userID)
	if err != nil {
		return false, fmt.Errorf("delete 2FA secret: %w", err)
	}
	n, _ := res.RowsAffected()
	return n > 0, nil
}

func (twoFactor) AcceptStep(ctx context.Context, h Handle, userID int64, step int64) (bool, error) {
	res, err := h.ExecContext(ctx,
		"UPDATE users SET totp_last_step = $2 WHERE id = $1 AND (totp_last_step IS NULL OR totp_last_step < $2)",
		userID, step)
	if err != nil {
		return false, fmt.Errorf("record TOTP step: %w", err)
	}
	n, _ := res.RowsAffected()
	return n == 1, nil
}

func (twoFactor) FindBackupCode(ctx context.Context, h Handle, userID int64, index string) (int64, string, error) {
	var id int64
	var hash string
	err := h.QueryRowContext(ctx, findBackupSQL, userID, index).Scan(&id, &hash)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, "", ErrNotFound
	}
	if err != nil {
		return 0, "", fmt.Errorf("find backup code: %w", err)
	}
	return id, hash, nil
}

func (twoFactor) SpendBackupCode(ctx context.Context, h Handle, id int64, now time.Time) (bool, error) {
	res, err := h.ExecContext(ctx, spendBackupSQL, id, now.Unix())
	if err != nil {
		return false, fmt.Errorf("spend backup code: %w", err)
	}
	n, _ := res.RowsAffected()
	return n == 1, nil
}

func (twoFactor) ReplaceBackupCodes(ctx context.Context, h Handle, userID int64, codes []NewBackupCode, now time.Time) error {
	if _, err := h.ExecContext(ctx, "DELETE FROM backup_codes WHERE user_id = $1", userID); err != nil {
		return fmt.Errorf("delete old backup codes: %w", err)
	}
	for _, c := range codes {
		if _, err := h.ExecContext(ctx,
			"INSERT INTO backup_codes (user_id, idx, hash, created_at) VALUES ($1, $2, $3, $4)",
			userID, c.Index, c.Hash, now.Unix()); err != nil {
			return fmt.Errorf("store backup code: %w", err)
		}
	}
	return nil
}

func (twoFactor) CountBackupCodes(ctx context.Context, h Handle, userID int64) (int, int, error) {
	var remaining, total int
	err := h.QueryRowContext(ctx, `
SELECT COALESCE(SUM(CASE WHEN used_at IS NULL THEN 1 ELSE 0 END), 0), COUNT(*)
FROM backup_codes WHERE user_id = $1`, userID).Scan(&remaining, &total)
	if err != nil {
		return 0, 0, fmt.Errorf("count backup codes: %w", err)
	}
	return remaining, total, nil
}

func (twoFactor) Secrets(ctx context.Context, h Handle) ([]Enrollment, error) {
	return queryAll(ctx, h, "list secrets", func(r rowScanner) (Enrollment, error) {
		var e Enrollment
		err := r.Scan(&e.UserID, &e.SecretEnc, &e.State)
		return e, err
	}, "SELECT user_id, secret_enc, state FROM totp_secrets ORDER BY user_id")
}

func (twoFactor) SetSecret(ctx context.Context, h Handle, userID int64, secretEnc string) error {
	if _, err := h.ExecContext(ctx, "UPDATE totp_secrets SET secret_enc = $2 WHERE user_id = $1", userID, secretEnc); err != nil {
		return fmt.Errorf("store re-encrypted secret: %w", err)
	}
	return nil
}
