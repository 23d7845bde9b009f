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
	// User holds the account's ID and Username only: the check and its
	// audit records need no more, and every column read costs each validation.
	User  User
	Guard Guard
	// Enrollment is the account's TOTP secret and state (not EnabledAt);
	// its State is "" when the account has none.
	Enrollment Enrollment
}

const pendingSQL = `
SELECT u.id, u.username, u.tfa_failed, u.tfa_locked_until,
       u.tfa_locked_until IS NOT NULL AND u.tfa_lock_reported IS NOT NULL AND u.tfa_lock_reported = u.tfa_locked_until,
       COALESCE(s.secret_enc, ''), COALESCE(s.state, '')
FROM tokens t JOIN users u ON u.id = t.user_id LEFT JOIN totp_secrets s ON s.user_id = u.id
WHERE t.hash = $1 AND t.kind = 'pending' AND t.expires_at > $2`

// Pending reads the account behind a live pending token, with its guard
// state and TOTP secret; ErrNotFound when the token is absent, expired,
// spent or not a pending one.
func (tokens) Pending(ctx context.Context, h Handle, hash string, now time.Time) (PendingSignIn, error) {
	var p PendingSignIn
	var g guardDest
	dest := append([]any{&p.User.ID, &p.User.Username}, g.dest()...)
	dest = append(dest, &p.Enrollment.SecretEnc, &p.Enrollment.State)
	err := h.QueryRowContext(ctx, pendingSQL, hash, now.Unix()).Scan(dest...)
	if errors.Is(err, sql.ErrNoRows) {
		return PendingSignIn{}, ErrNotFound
	}
	if err != nil {
		return PendingSignIn{}, fmt.Errorf("read pending sign-in: %w", err)
	}
	p.Guard = g.guard()
	p.Enrollment.UserID = p.User.ID
	return p, nil
}
