package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// Requirement is a role whose accounts must have 2FA, and the grace an
// account of it has to enable 2FA.
type Requirement struct {
	Role  string
	Grace time.Duration
	Since time.Time
}

// Policies are the roles that require 2FA [ext].
type Policies interface {
	// Require makes role require 2FA with grace, from since (replacing an earlier rule).
	Require(ctx context.Context, h Handle, r Requirement) error
	// Drop ends role's requirement; ErrNotFound when it had none.
	Drop(ctx context.Context, h Handle, role string) error
	// ForRole returns role's requirement; ErrNotFound when it has none.
	ForRole(ctx context.Context, h Handle, role string) (Requirement, error)
	// List returns every requirement, by role.
	List(ctx context.Context, h Handle) ([]Requirement, error)
}

type policies struct{}

func (policies) Require(ctx context.Context, h Handle, r Requirement) error {
	_, err := h.ExecContext(ctx, `INSERT INTO required_2fa (role, grace_seconds, since) VALUES ($1, $2, $3)
ON CONFLICT (role) DO UPDATE SET grace_seconds = excluded.grace_seconds, since = excluded.since`,
		r.Role, int64(r.Grace/time.Second), r.Since.Unix())
	if err != nil {
		return fmt.Errorf("require 2fa for role %s: %w", r.Role, err)
	}
	return nil
}

func (policies) Drop(ctx context.Context, h Handle, role string) error {
	res, err := h.ExecContext(ctx, "DELETE FROM required_2fa WHERE role = $1", role)
	if err != nil {
		return fmt.Errorf("drop 2fa requirement of role %s: %w", role, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return ErrNotFound
	}
	return nil
}

func scanRequirement(row rowScanner) (Requirement, error) {
	var r Requirement
	var grace, since int64
	if err := row.Scan(&r.Role, &grace, &since); err != nil {
		return Requirement{}, err
	}
	r.Grace, r.Since = time.Duration(grace)*time.Second, time.Unix(since, 0).UTC()
	return r, nil
}

func (policies) ForRole(ctx context.Context, h Handle, role string) (Requirement, error) {
	r, err := scanRequirement(h.QueryRowContext(ctx, "SELECT role, grace_seconds, since FROM required_2fa WHERE role = $1", role))
	if errors.Is(err, sql.ErrNoRows) {
		return Requirement{}, ErrNotFound
	}
	if err != nil {
		return Requirement{}, fmt.Errorf("read 2fa requirement: %w", err)
	}
	return r, nil
}

func (policies) List(ctx context.Context, h Handle) ([]Requirement, error) {
	return queryAll(ctx, h, "list 2fa requirements", scanRequirement, "SELECT role, grace_seconds, since FROM required_2fa ORDER BY role")
}
