package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// Token kinds: a full session, or the pending token between password and second factor.
const (
	KindSession = "session"
	KindPending = "pending"
)

// Token is a stored session or pending token, known only by its hash.
type Token struct {
	Hash      string
	UserID    int64
	Kind      string
	ExpiresAt time.Time
	// Family is the hash of the token that began the family: the sign-in
	// and every token refreshed from it share it.
	Family string
	// FamilyStarted is when the family's sign-in happened.
	FamilyStarted time.Time
	// Replaced is set once a refresh replaced the token: it is kept only
	// so that presenting it again can be recognised (and ends the family).
	Replaced bool
}

// NewToken is a token to store.
type NewToken struct {
	Hash   string
	UserID int64
	Kind   string
	// Family and FamilyStarted continue a family (a refresh); a zero
	// Family begins one of its own, named by Hash and started now.
	Family        string
	FamilyStarted time.Time
}

// Tokens is the session-token aggregate.
type Tokens interface {
	// Insert stores a token, live from now until expires.
	Insert(ctx context.Context, h Handle, t NewToken, now, expires time.Time) error
	// Lookup returns the unexpired token with this hash, replaced or not;
	// ErrNotFound otherwise.
	Lookup(ctx context.Context, h Handle, hash string, now time.Time) (Token, error)
	// Pending reads the account behind a live pending token (see PendingSignIn).
	Pending(ctx context.Context, h Handle, hash string, now time.Time) (PendingSignIn, error)
	// ConsumePending deletes a live pending token in one statement and
	// returns its user; ErrNotFound when it is absent, expired or already spent.
	ConsumePending(ctx context.Context, h Handle, hash string, now time.Time) (int64, error)
	// Replace marks a live session token replaced, in one conditional
	// statement; it reports false when it was already replaced or is gone.
	Replace(ctx context.Context, h Handle, hash string, now time.Time) (bool, error)
	// RevokeFamily deletes every token of a family and returns how many of
	// them were live sessions.
	RevokeFamily(ctx context.Context, h Handle, family string, now time.Time) (int, error)
	// RevokeSessions deletes every token of an account but those of the
	// family keep ("" keeps none) and returns how many were live sessions.
	RevokeSessions(ctx context.Context, h Handle, userID int64, keep string, now time.Time) (int, error)
	// Purge deletes expired tokens.
	Purge(ctx context.Context, h Handle, now time.Time) error
}

type tokens struct{}

const (
	insertTokenSQL    = "INSERT INTO tokens (hash, user_id, kind, family, family_started, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7)"
	lookupTokenSQL    = "SELECT user_id, kind, expires_at, family, family_started, replaced_at FROM tokens WHERE hash = $1 AND expires_at > $2"
	consumePendingSQL = "DELETE FROM tokens WHERE hash = $1 AND kind = 'pending' AND expires_at > $2 RETURNING user_id"
)

func (tokens) Insert(ctx context.Context, h Handle, t NewToken, now, expires time.Time) error {
	family, started := t.Family, t.FamilyStarted
	if family == "" {
		family, started = t.Hash, now
	}
	_, err := h.ExecContext(ctx, insertTokenSQL,
		t.Hash, t.UserID, t.Kind, family, started.Unix(), now.Unix(), expires.Unix())
	if err != nil {
		return fmt.Errorf("store %s token: %w", t.Kind, err)
	}
	return nil
}

func (tokens) Lookup(ctx context.Context, h Handle, hash string, now time.Time) (Token, error) {
	t := Token{Hash: hash}
	var exp, started int64
	var replaced sql.NullInt64
	err := h.QueryRowContext(ctx, lookupTokenSQL, hash, now.Unix()).Scan(&t.UserID, &t.Kind, &exp, &t.Family, &started, &replaced)
	if errors.Is(err, sql.ErrNoRows) {
		return Token{}, ErrNotFound
	}
	if err != nil {
		return Token{}, fmt.Errorf("look up token: %w", err)
	}
	t.ExpiresAt = time.Unix(exp, 0).UTC()
	t.FamilyStarted = time.Unix(started, 0).UTC()
	t.Replaced = replaced.Valid
	return t, nil
}

func (tokens) ConsumePending(ctx context.Context, h Handle, hash string, now time.Time) (int64, error) {
	var uid int64
	err := h.QueryRowContext(ctx, consumePendingSQL, hash, now.Unix()).Scan(&uid)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, ErrNotFound
	}
	if err != nil {
		return 0, fmt.Errorf("consume pending token: %w", err)
	}
	return uid, nil
}

func (tokens) Replace(ctx context.Context, h Handle, hash string, now time.Time) (bool, error) {
	res, err := h.ExecContext(ctx,
		"UPDATE tokens SET replaced_at = $2 WHERE hash = $1 AND kind = 'session' AND replaced_at IS NULL AND expires_at > $2",
		hash, now.Unix())
	if err != nil {
		return false, fmt.Errorf("replace session token: %w", err)
	}
	n, _ := res.RowsAffected()
	return n == 1, nil
}

func (tokens) RevokeFamily(ctx context.Context, h Handle, family string, now time.Time) (int, error) {
	return revoked(ctx, h, "DELETE FROM tokens WHERE family = $1 RETURNING kind, replaced_at IS NULL AND expires_at > $2",
		family, now.Unix())
}

func (tokens) RevokeSessions(ctx context.Context, h Handle, userID int64, keep string, now time.Time) (int, error) {
	return revoked(ctx, h, "DELETE FROM tokens WHERE user_id = $1 AND family <> $2 RETURNING kind, replaced_at IS NULL AND expires_at > $3",
		userID, keep, now.Unix())
}

// revoked runs a DELETE returning (kind, live) rows and counts the live
// sessions among them.
func revoked(ctx context.Context, h Handle, query string, args ...any) (int, error) {
	n := 0
	err := queryRows(ctx, h, "revoke tokens", func(r rowScanner) error {
		var kind string
		var live bool
		if err := r.Scan(&kind, &live); err != nil {
			return err
		}
		if kind == KindSession && live {
			n++
		}
		return nil
	}, query, args...)
	if err != nil {
		return 0, err
	}
	return n, nil
}

func (tokens) Purge(ctx context.Context, h Handle, now time.Time) error {
	if _, err := h.ExecContext(ctx, "DELETE FROM tokens WHERE expires_at <= $1", now.Unix()); err != nil {
		return fmt.Errorf("purge tokens: %w", err)
	}
	return nil
}
