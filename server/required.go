package server

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/twofa/twofa/server/store"
)

// ErrEnrollmentRequired is a request outside enrolment from an account
// whose role requires 2FA, past its grace, without 2FA.
var ErrEnrollmentRequired = errors.New("two-factor authentication required for this role: only enrolment is allowed")

// EventRequire2FA records a change of a role's 2FA requirement.
const EventRequire2FA = "admin_require_2fa"

// enrolRoutes are the routes an enrolment-only session may use: enabling
// 2FA, seeing the account, keeping and ending the session.
var enrolRoutes = map[string]bool{
	"GET /api/auth/2fa/status":        true,
	"POST /api/auth/2fa/setup":        true,
	"POST /api/auth/2fa/verify-setup": true,
	"GET /api/auth/me":                true,
	"GET /api/auth/refresh":           true,
	"POST /api/auth/logout":           true,
}

// requirement is u's 2FA requirement: none (zero), or 2FA required with
// the end of u's grace (the later of the rule and the account, plus grace).
type requirement struct {
	required bool
	until    time.Time
}

// requirementOf reads u's role's rule.
func (s *Server) requirementOf(ctx context.Context, u store.User) (requirement, error) {
	r, err := s.store.Policies.ForRole(ctx, s.store.DB(), u.Role)
	if errors.Is(err, store.ErrNotFound) {
		return requirement{}, nil
	}
	if err != nil {
		return requirement{}, err
	}
	start := r.Since
	if u.CreatedAt.After(start) {
		start = u.CreatedAt
	}
	return requirement{required: true, until: start.Add(r.Grace)}, nil
}

// enrolOnly reports whether u's sessions are good only for enrolling: the
// role requires 2FA, the grace is over and 2FA is off.
func (s *Server) enrolOnly(ctx context.Context, u store.User) (bool, error) {
	req, err := s.requirementOf(ctx, u)
	if err != nil || !req.required || s.now().Before(req.until) {
		return false, err
	}
	on, err := s.twoFactorOn(ctx, u.ID)
	return !on, err
}

// checkEnrolment refuses a route outside enrolRoutes for an enrolment-only session.
func (s *Server) checkEnrolment(ctx context.Context, pattern string, u store.User) error {
	if enrolRoutes[pattern] {
		return nil
	}
	only, err := s.enrolOnly(ctx, u)
	if err != nil {
		return err
	}
	if only {
		return ErrEnrollmentRequired
	}
	return nil
}

// Require2FA makes role require 2FA, with grace for each account of it to
// enable it (counted from now, or from the account's creation when later);
// off ends the requirement. The change is audited with the actor.
func (a *Admin) Require2FA(ctx context.Context, role string, grace time.Duration, off bool) error {
	if role != "admin" && role != "user" {
		return fmt.Errorf("role must be admin or user, not %q", role)
	}
	if grace < 0 {
		return errors.New("grace must not be negative")
	}
	return a.st.Tx(ctx, func(h store.Handle) error {
		detail := fmt.Sprintf("role %s requires 2FA, grace %s; by %s", role, grace, a.opts.Actor)
		if off {
			if err := a.st.Policies.Drop(ctx, h, role); err != nil {
				if errors.Is(err, store.ErrNotFound) {
					return fmt.Errorf("role %s does not require 2FA", role)
				}
				return err
			}
			detail = fmt.Sprintf("role %s no longer requires 2FA; by %s", role, a.opts.Actor)
		} else if err := a.st.Policies.Require(ctx, h, store.Requirement{Role: role, Grace: grace, Since: a.opts.Now()}); err != nil {
			return err
		}
		return a.st.Audit.Append(ctx, h, store.Event{At: a.opts.Now().UTC(), Event: EventRequire2FA, ClientAddr: a.opts.Addr, Detail: detail})
	})
}

// Requirements returns every role that requires 2FA.
func (a *Admin) Requirements(ctx context.Context) ([]store.Requirement, error) {
	return a.st.Policies.List(ctx, a.st.DB())
}
