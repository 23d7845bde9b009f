package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// PendingSignIn is everything a second-factor check at sign-in needs,
// read through the pending token in one statement.
type PendingSignIn struct {
	User  User
	Guard Guard
	// Enrollment is the account's TOTP secret row; its State is "" when
	// the account has none.
	Enrollment Enrollment
}

const pendingSQL = `
SELECT u.id, u.username, u.password_hash, u.role, u.created_at, u.tfa_failed, u.tfa_locked_until,
       u.tfa_locked_until IS NOT NULL AND u.tfa_lock_reported IS NOT NULL AND u.tfa_lock_reported = u.tfa_locked_until,
       COALESCE(s.secret_enc, ''), COALESCE(s.state, ''), s.enabled_at
FROM tokens t JOIN users u ON u.id = t.user_id LEFT JOIN totp_secrets s ON s.user_id = u.id
WHERE t.hash = $1 AND t.kind = 'pending' AND t.expires_at > $2`

// Pending reads the account behind a live pending token, with its guard
// state and TOTP secret; ErrNotFound when the token is absent, expired,
// spent or not a pending one.
func (tokens) Pending(ctx context.Context, h Handle, hash string, now time.Time) (PendingSignIn, error) {
	var p PendingSignIn
	var created int64
	var g guardDest
	var enabled sql.NullInt64
	dest := append([]any{&p.User.ID, &p.User.Username, &p.User.PasswordHash, &p.User.Role, &created}, g.dest()...)
	dest = append(dest, &p.Enrollment.SecretEnc, &p.Enrollment.State, &enabled)
	err := h.QueryRowContext(ctx, pendingSQL, hash, now.Unix()).Scan(dest...)
	if errors.Is(err, sql.ErrNoRows) {
		return PendingSignIn{}, ErrNotFound
	}
	if err != nil {
		return PendingSignIn{}, fmt.Errorf("read pending sign-in: %w", err)
	}
	p.User.CreatedAt = time.Unix(created, 0).UTC()
	p.Guard = g.guard()
	p.Enrollment.UserID = p.User.ID
	p.Enrollment.EnabledAt = unixOrNil(enabled)
	return p, nil
}
