package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// User is an account row without its second-factor secrets.
type User struct {
	ID           int64
	Username     string
	PasswordHash string
	Role         string
	CreatedAt    time.Time
}

// Users is the account aggregate.
type Users interface {
	// Create inserts an account and returns its id; ErrConflict when the name is taken.
	Create(ctx context.Context, h Handle, username, passwordHash, role string, now time.Time) (int64, error)
	// ByName finds an account by its exact username; ErrNotFound when absent.
	ByName(ctx context.Context, h Handle, username string) (User, error)
	// ByID finds an account by id; ErrNotFound when absent.
	ByID(ctx context.Context, h Handle, id int64) (User, error)
	// SetPassword replaces an account's password hash; ErrNotFound when absent.
	SetPassword(ctx context.Context, h Handle, id int64, passwordHash string) error
	// List returns every account with its second-factor summary, by id.
	List(ctx context.Context, h Handle) ([]UserSummary, error)
}

// UserSummary is one line of `twofa admin list-users`.
type UserSummary struct {
	User
	TwoFactorEnabled bool
	CodesLeft        int
	LockedUntil      *time.Time
}

type users struct{}

const (
	userColumns   = "id, username, password_hash, role, created_at"
	userByNameSQL = "SELECT " + userColumns + " FROM users WHERE username = $1"
	userByIDSQL   = "SELECT " + userColumns + " FROM users WHERE id = $1"
)

func scanUser(row rowScanner) (User, error) {
	var u User
	var created int64
	if err := row.Scan(&u.ID, &u.Username, &u.PasswordHash, &u.Role, &created); err != nil {
		return User{}, err
	}
	u.CreatedAt = time.Unix(created, 0).UTC()
	return u, nil
}

func (users) Create(ctx context.Context, h Handle, username, passwordHash, role string, now time.Time) (int64, error) {
	var id int64
	err := h.QueryRowContext(ctx,
		"INSERT INTO users (username, password_hash, role, created_at) VALUES ($1, $2, $3, $4) RETURNING id",
		username, passwordHash, role, now.Unix()).Scan(&id)
	if isUniqueViolation(err) {
		return 0, fmt.Errorf("user %q: %w", username, ErrConflict)
	}
	if err != nil {
		return 0, fmt.Errorf("create user: %w", err)
	}
	return id, nil
}

func (users) ByName(ctx context.Context, h Handle, username string) (User, error) {
	return findUser(h.QueryRowContext(ctx, userByNameSQL, username), "name")
}

func (users) ByID(ctx context.Context, h Handle, id int64) (User, error) {
	return findUser(h.QueryRowContext(ctx, userByIDSQL, id), "id")
}

// findUser scans the user row looked up by (name or id): ErrNotFound when
// there is none.
func findUser(row *sql.Row, by string) (User, error) {
	u, err := scanUser(row)
	if errors.Is(err, sql.ErrNoRows) {
		return User{}, ErrNotFound
	}
	if err != nil {
		return User{}, fmt.Errorf("find user by %s: %w", by, err)
	}
	return u, nil
}

func (users) SetPassword(ctx context.Context, h Handle, id int64, passwordHash string) error {
	res, err := h.ExecContext(ctx, "UPDATE users SET password_hash = $1 WHERE id = $2", passwordHash, id)
	if err != nil {
		return fmt.Errorf("set password: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return ErrNotFound
	}
	return nil
}

func (users) List(ctx context.Context, h Handle) ([]UserSummary, error) {
	return queryAll(ctx, h, "list users", scanUserSummary, `
SELECT u.id, u.username, u.password_hash, u.role, u.created_at,
       CASE WHEN t.state = 'enabled' THEN 1 ELSE 0 END,
       (SELECT COUNT(*) FROM backup_codes b WHERE b.user_id = u.id AND b.used_at IS NULL AND t.state = 'enabled'),
       u.tfa_locked_until
FROM users u LEFT JOIN totp_secrets t ON t.user_id = u.id
ORDER BY u.id`)
}

func scanUserSummary(r rowScanner) (UserSummary, error) {
	var s UserSummary
	var created, enabled int64
	var locked sql.NullInt64
	if err := r.Scan(&s.ID, &s.Username, &s.PasswordHash, &s.Role, &created, &enabled, &s.CodesLeft, &locked); err != nil {
		return UserSummary{}, err
	}
	s.CreatedAt = time.Unix(created, 0).UTC()
	s.TwoFactorEnabled = enabled == 1
	if locked.Valid {
		t := time.Unix(locked.Int64, 0).UTC()
		s.LockedUntil = &t
	}
	return s, nil
}
