package server

import (
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/twofa/twofa/internal/wire"
	"github.com/twofa/twofa/server/httpx"
)

// Bounds of the administrators' lists.
const (
	defaultListLimit = 100
	maxListLimit     = 1000
	defaultEvents    = 20
	maxEvents        = 200
)

// userItem is one account in CoPilot's shape ("id", "username", "email",
// "role_name", "totp_enabled", "last_login_at") with the reference
// server's backup codes left and lock [ext].
type userItem struct {
	ID                   int64      `json:"id"`
	Username             string     `json:"username"`
	Email                *string    `json:"email"`
	RoleName             string     `json:"role_name"`
	TOTPEnabled          bool       `json:"totp_enabled"`
	LastLoginAt          *time.Time `json:"last_login_at"`
	BackupCodesRemaining int        `json:"backup_codes_remaining"`
	LockedUntil          *time.Time `json:"locked_until"`
}

// usersResponse is the answer of both user lists.
type usersResponse struct {
	Users   []userItem `json:"users"`
	Success bool       `json:"success"`
	Message string     `json:"message"`
}

// eventItem is one audit event of an account [ext].
type eventItem struct {
	At         time.Time `json:"at"`
	Event      string    `json:"event"`
	ClientAddr string    `json:"client_addr"`
	Detail     string    `json:"detail"`
}

// intParam reads query parameter name as an integer in [1, most], def when absent.
func intParam(r *http.Request, name string, def, most int) (int, error) {
	raw := r.URL.Query().Get(name)
	if raw == "" {
		return def, nil
	}
	n, err := strconv.Atoi(raw)
	if err != nil || n < 1 || n > most {
		return 0, httpx.BadRequest("%s must be an integer from 1 to %d.", name, most)
	}
	return n, nil
}

// pathID reads the path's user_id.
func pathID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("user_id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, httpx.BadRequest("user_id must be a positive integer.")
	}
	return id, nil
}

// handleUsers is GET /api/auth/users: every account whose name holds
// the query's search, at most limit of them.
func (s *Server) handleUsers(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	limit, err := intParam(r, "limit", defaultListLimit, maxListLimit)
	if err != nil {
		return err
	}
	rows, err := s.listUsers(r.Context(), r.URL.Query().Get("search"), limit)
	if err != nil {
		return err
	}
	out := usersResponse{Users: make([]userItem, len(rows)), Success: true, Message: fmt.Sprintf("%s found.", count(len(rows), "user"))}
	for i, u := range rows {
		out.Users[i] = userItem{ID: u.ID, Username: u.Username, RoleName: u.Role, TOTPEnabled: u.TwoFactorEnabled,
			LastLoginAt: u.LastSignIn, BackupCodesRemaining: u.CodesLeft, LockedUntil: u.LockedUntil}
	}
	httpx.WriteJSON(w, http.StatusOK, out)
	return nil
}

// handleCustomerUsers is GET /api/auth/security/customers/{customer_code}/users:
// the reference server has no customers, so every code is unknown.
func (s *Server) handleCustomerUsers(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	return httpx.Errorf(http.StatusNotFound, wire.NotFound, "Customer %s not found: the reference server has no customers.", strconv.Quote(r.PathValue("customer_code")))
}

// handleUnlock is POST /api/auth/security/users/{user_id}/unlock [ext]: an
// admin ends an account's second-factor lock and its failed sign-ins.
func (s *Server) handleUnlock(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	target, err := s.unlockByAdmin(r.Context(), rc.user, id, rc.addr)
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, changeResponse{Message: fmt.Sprintf("User %s was unlocked.", target.Username), Success: true})
	return nil
}

// handleEvents is GET /api/auth/security/users/{user_id}/events?limit=N
// [ext]: the account's newest audit events.
func (s *Server) handleEvents(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	limit, err := intParam(r, "limit", defaultEvents, maxEvents)
	if err != nil {
		return err
	}
	events, err := s.eventsOf(r.Context(), id, limit)
	if err != nil {
		return err
	}
	items := make([]eventItem, len(events))
	for i, e := range events {
		items[i] = eventItem{At: e.At, Event: e.Event, ClientAddr: e.ClientAddr, Detail: e.Detail}
	}
	httpx.WriteJSON(w, http.StatusOK, map[string]any{"events": items, "success": true, "message": fmt.Sprintf("%s.", count(len(items), "event"))})
	return nil
}
