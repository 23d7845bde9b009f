package fakecopilot

import (
	"fmt"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"
)

// roleIDs are CoPilot's role ids.
var roleIDs = map[Role]int{RoleAdmin: 1, RoleAnalyst: 2, RoleCustomerUser: 3}

// SetEmail gives the account name an email address.
func (s *Server) SetEmail(name, email string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.users[name].email = email
}

// SetCustomer puts the account name in the customer with code.
func (s *Server) SetCustomer(name, code string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.users[name].customer = code
}

// TempPasswordsSent returns how many temporary passwords were sent to name.
func (s *Server) TempPasswordsSent(name string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.users[name].tempSent
}

// signedInNow records a sign-in of u (last_login_at).
func (s *Server) signedInNow(u *user) {
	t := s.now().UTC()
	u.lastLogin = &t
}

// pyTime is how pydantic writes a naive UTC datetime: ISO 8601, no zone.
func pyTime(t *time.Time) any {
	if t == nil {
		return nil
	}
	return t.Format("2006-01-02T15:04:05.000000")
}

// sortedUsers returns every account by id.
func (s *Server) sortedUsers() []*user {
	out := make([]*user, 0, len(s.byID))
	for _, u := range s.byID {
		out = append(out, u)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].id < out[j].id })
	return out
}

// emailOf is the account's email, null when it has none.
func emailOf(u *user) any {
	if u.email == "" {
		return nil
	}
	return u.email
}

// listUsers is GET /api/auth/users?search=&limit=: id, username, email,
// role_name — no 2FA state.
func (s *Server) listUsers(w http.ResponseWriter, r *http.Request) {
	if s.requireScope(w, r, RoleAdmin, RoleAnalyst) == nil {
		return
	}
	limit := 100
	if raw := r.URL.Query().Get("limit"); raw != "" {
		n, err := strconv.Atoi(raw)
		if err != nil {
			invalid(w, fieldError{Field: "limit", ErrorType: "int_parsing", Message: "Input should be a valid integer, unable to parse string as an integer"})
			return
		}
		limit = n
	}
	search := strings.ToLower(r.URL.Query().Get("search"))
	users := []map[string]any{}
	for _, u := range s.sortedUsers() {
		if len(users) == limit {
			break
		}
		if strings.Contains(strings.ToLower(u.name), search) {
			users = append(users, map[string]any{"id": u.id, "username": u.name, "email": emailOf(u), "role_name": string(u.role)})
		}
	}
	writeJSON(w, http.StatusOK, map[string]any{"users": users, "success": true, "message": "Users retrieved successfully"})
}

// customerUsers is GET /api/auth/security/customers/{code}/users: the
// customer's accounts with role, 2FA state and last sign-in.
func (s *Server) customerUsers(code string) handler {
	return func(w http.ResponseWriter, r *http.Request) {
		if s.requireScope(w, r, RoleAdmin, RoleAnalyst) == nil {
			return
		}
		users := []map[string]any{}
		for _, u := range s.sortedUsers() {
			if u.customer != code {
				continue
			}
			users = append(users, map[string]any{"id": u.id, "username": u.name, "email": emailOf(u), "role_id": roleIDs[u.role],
				"role_name": string(u.role), "last_login_at": pyTime(u.lastLogin), "totp_enabled": u.totp != nil && u.totp.enabled})
		}
		writeJSON(w, http.StatusOK, map[string]any{"users": users, "success": true,
			"message": fmt.Sprintf("Retrieved %d users for customer %s", len(users), code)})
	}
}

// sendTempPassword is POST /api/auth/security/users/{id}/send-temp-password.
func (s *Server) sendTempPassword(rawID string) handler {
	return func(w http.ResponseWriter, r *http.Request) {
		target := s.adminTarget(w, r, rawID)
		if target == nil {
			return
		}
		target.tempSent++
		writeJSON(w, http.StatusOK, map[string]any{"success": true, "message": "Temporary password sent to " + target.name + "."})
	}
}

// adminTarget is the account an admin-only route names by id; nil when it
// has answered CoPilot's 401/403, 422 or 404 instead.
func (s *Server) adminTarget(w http.ResponseWriter, r *http.Request, rawID string) *user {
	if s.requireScope(w, r, RoleAdmin) == nil {
		return nil
	}
	id, ok := parseID(rawID)
	if !ok {
		invalid(w, fieldError{Field: "user_id", ErrorType: "int_parsing", Message: "Input is not a valid integer."})
		return nil
	}
	target := s.byID[id]
	if target == nil {
		refuse(w, http.StatusNotFound, fmt.Sprintf("User %d not found", id))
	}
	return target
}

// securityUserRoute maps /api/auth/security/users/{id}/{action} to its handlers.
func (s *Server) securityUserRoute(rest string) map[string]handler {
	id, action, ok := strings.Cut(rest, "/")
	if !ok || id == "" || strings.Contains(action, "/") {
		return nil
	}
	switch action {
	case "totp":
		return map[string]handler{http.MethodDelete: s.adminReset(id)}
	case "send-temp-password":
		return map[string]handler{http.MethodPost: s.sendTempPassword(id)}
	}
	return nil
}
