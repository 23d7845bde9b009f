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
}

// Tokens is the session-token aggregate.
type Tokens interface {
	// Insert stores a token hash of the given kind.
	Insert(ctx context.Context, h Handle, hash string, userID int64, kind string, now, expires time.Time) error
	// Lookup returns the live (unexpired) token with this hash; ErrNotFound otherwise.
	Lookup(ctx context.Context, h Handle, hash string, now time.Time) (Token, error)
	// ConsumePending deletes a live pending token in one statement and
	// returns its user; ErrNotFound when it is absent, expired or already spent.
	ConsumePending(ctx context.Context, h Handle, hash string, now time.Time) (int64, error)
	// Delete revokes one token.
	Delete(ctx context.Context, h Handle, hash string) error
	// DeleteForUser revokes every token of an account and returns how many.
	DeleteForUser(ctx context.Context, h Handle, userID int64) (int64, error)
	// Purge deletes expired tokens.
	Purge(ctx context.Context, h Handle, now time.Time) error
}

type tokens struct{}

func (tokens) Insert(ctx context.Context, h Handle, hash string, userID int64, kind string, now, expires time.Time) error {
	_, err := h.ExecContext(ctx,
		"INSERT INTO tokens (hash, user_id, kind, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)",
		hash, userID, kind, now.Unix(), expires.Unix())
	if err != nil {
		return fmt.Errorf("store %s token: %w", kind, err)
	}
	return nil
}

func (tokens) Lookup(ctx context.Context, h Handle, hash string, now time.Time) (Token, error) {
	t := Token{Hash: hash}
	var exp int64
	err := h.QueryRowContext(ctx,
		"SELECT user_id, kind, expires_at FROM tokens WHERE hash = $1 AND expires_at > $2",
		hash, now.Unix()).Scan(&t.UserID, &t.Kind, &exp)
	if errors.Is(err, sql.ErrNoRows) {
		return Token{}, ErrNotFound
	}
	if err != nil {
		return Token{}, fmt.Errorf("look up token: %w", err)
	}
	t.ExpiresAt = time.Unix(exp, 0).UTC()
	return t, nil
}

func (tokens) ConsumePending(ctx context.Context, h Handle, hash string, now time.Time) (int64, error) {
	var uid int64
	err := h.QueryRowContext(ctx,
		"DELETE FROM tokens WHERE hash = $1 AND kind = 'pending' AND expires_at > $2 RETURNING user_id",
		hash, now.Unix()).Scan(&uid)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, ErrNotFound
	}
	if err != nil {
		return 0, fmt.Errorf("consume pending token: %w", err)
	}
	return uid, nil
}

func (tokens) Delete(ctx context.Context, h Handle, hash string) error {
	if _, err := h.ExecContext(ctx, "DELETE FROM tokens WHERE hash = $1", hash); err != nil {
		return fmt.Errorf("revoke token: %w", err)
	}
	return nil
}

func (tokens) DeleteForUser(ctx context.Context, h Handle, userID int64) (int64, error) {
	res, err := h.ExecContext(ctx, "DELETE FROM tokens WHERE user_id = $1", userID)
	if err != nil {
		return 0, fmt.Errorf("revoke tokens: %w", err)
	}
	n, _ := res.RowsAffected()
	return n, nil
}

func (tokens) Purge(ctx context.Context, h Handle, now time.Time) error {
	if _, err := h.ExecContext(ctx, "DELETE FROM tokens WHERE expires_at <= $1", now.Unix()); err != nil {
		return fmt.Errorf("purge tokens: %w", err)
	}
	return nil
}
