package server

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/twofa/twofa/server/store"
)

// UserRow is one account as an administrator's list shows it: role, 2FA,
// backup codes left, the lock (nil when none holds) and the last sign-in
// (nil when it never signed in).
type UserRow struct {
	store.UserSummary
	LastSignIn *time.Time
}

// listUsers returns the accounts whose name holds search (any case), at
// most limit of them, by id; an expired lock is no lock.
func (s *Server) listUsers(ctx context.Context, search string, limit int) ([]UserRow, error) {
	list, err := s.store.Users.List(ctx, s.store.DB())
	if err != nil {
		return nil, err
	}
	last, err := s.store.Audit.LastOf(ctx, s.store.DB(), EventSignInOK)
	if err != nil {
		return nil, err
	}
	now, needle := s.now(), strings.ToLower(search)
	out := []UserRow{}
	for _, u := range list {
		if len(out) == limit {
			break
		}
		if !strings.Contains(strings.ToLower(u.Username), needle) {
			continue
		}
		if u.LockedUntil != nil && !u.LockedUntil.After(now) {
			u.LockedUntil = nil
		}
		row := UserRow{UserSummary: u}
		if t, ok := last[u.ID]; ok {
			row.LastSignIn = &t
		}
		out = append(out, row)
	}
	return out, nil
}

// targetUser is the account an administrator's request names by id.
func (s *Server) targetUser(ctx context.Context, id int64) (store.User, error) {
	u, err := s.store.Users.ByID(ctx, s.store.DB(), id)
	if errors.Is(err, store.ErrNotFound) {
		return store.User{}, &UnknownUserError{ID: id}
	}
	return u, err
}

// unlockByAdmin clears the second-factor lock and failure count of the
// account with the given id, and its consecutive failed sign-ins, in one
// transaction with the audit event naming admin.
func (s *Server) unlockByAdmin(ctx context.Context, admin store.User, id int64, addr string) (store.User, error) {
	target, err := s.targetUser(ctx, id)
	if err != nil {
		return store.User{}, err
	}
	err = s.store.Tx(ctx, func(h store.Handle) error {
		if err := s.store.TwoFactor.ResetFailures(ctx, h, target.ID); err != nil {
			return err
		}
		if err := s.store.Throttle.Clear(ctx, h, store.ScopeAccount, userSubject(target.ID)); err != nil {
			return err
		}
		return s.auditIn(ctx, h, target, EventUnlock, addr, fmt.Sprintf("by admin %s over the API", admin.Username))
	})
	return target, err
}

// eventsOf returns the newest limit audit events of the account with the given id.
func (s *Server) eventsOf(ctx context.Context, id int64, limit int) ([]store.Event, error) {
	target, err := s.targetUser(ctx, id)
	if err != nil {
		return nil, err
	}
	return s.store.Audit.List(ctx, s.store.DB(), target.Username, limit)
}
