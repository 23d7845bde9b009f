// Package fakecopilot is an http.Handler that answers the account routes the
// way a stock SOCFortress CoPilot does, written from the facts in
// shared/api.md ("Errors" and "What a real CoPilot does"), never from what
// twofa's client expects: every refusal is {"success": false, "message"},
// malformed bodies get CoPilot's 422 {"message", "details"}, only unknown
// paths and methods keep FastAPI's {"detail"}; tokens are HS256 JWTs whose
// exp is readable; the pending token is not single-use; lockouts are 401 or
// 400 sentences with the seconds left, never 429; there is no /me, /logout
// or /health, and customer_user accounts sign in at their own route.
//
// Tests put it behind httptest.NewServer and give it their clock, which
// drives TOTP steps, token lifetimes and lockouts.
package fakecopilot

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Role is a CoPilot role; the session token carries it as its one scope.
type Role string

// The roles the 2FA routes know.
const (
	RoleAdmin        Role = "admin"
	RoleAnalyst      Role = "analyst"
	RoleCustomerUser Role = "customer_user"
)

// Lifetimes and limits of CoPilot's auth and 2FA code.
const (
	SessionTTL     = 24 * time.Hour
	PendingTTL     = 5 * time.Minute
	MaxFailures    = 5
	LockoutSeconds = 900
	BackupCount    = 8
	BackupLength   = 10
	Issuer         = "CoPilot"
)

// Server is the fake CoPilot; it is safe for concurrent use.
type Server struct {
	mu     sync.Mutex
	now    func() time.Time
	key    []byte
	users  map[string]*user
	byID   map[int64]*user
	fails  map[int64]failures
	counts map[string]int
}

type user struct {
	id       int64
	name     string
	password [32]byte // SHA-256, compared in constant time
	role     Role
	totp     *enrolment // nil: never set up, or disabled
	// email, customer (a customer code), lastLogin and tempSent serve the admin routes.
	email     string
	customer  string
	lastLogin *time.Time
	tempSent  int
}

// enrolment is CoPilot's user_totp row.
type enrolment struct {
	secret  string
	enabled bool
	backup  []backupCode
	last    int64 // last accepted TOTP counter, -1 for none
}

type backupCode struct {
	hash [32]byte
	used bool
}

// failures is CoPilot's in-memory (fail_count, first_fail_time) per user.
type failures struct {
	count int
	first time.Time
}

// New returns a fake CoPilot with no users whose clock is now (time.Now when nil).
func New(now func() time.Time) *Server {
	if now == nil {
		now = time.Now
	}
	key := make([]byte, 32)
	if _, err := rand.Read(key); err != nil {
		panic("fakecopilot: no randomness: " + err.Error())
	}
	return &Server{now: now, key: key, users: map[string]*user{}, byID: map[int64]*user{},
		fails: map[int64]failures{}, counts: map[string]int{}}
}

// AddUser creates an account and returns its id.
func (s *Server) AddUser(name, password string, role Role) int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	u := &user{id: int64(len(s.users) + 1), name: name, password: sha256.Sum256([]byte(password)), role: role}
	s.users[name] = u
	s.byID[u.id] = u
	return u.id
}

// Requests returns how many requests reached path (method and query ignored).
func (s *Server) Requests(path string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.counts[path]
}

// handler answers one route; the server's lock is held.
type handler func(w http.ResponseWriter, r *http.Request)

// routes maps each path CoPilot serves to its handlers by method.
func (s *Server) routes(path string) map[string]handler {
	switch path {
	case "/api/auth/token":
		return map[string]handler{http.MethodPost: s.token(false)}
	case "/api/auth/token/customer-portal":
		return map[string]handler{http.MethodPost: s.token(true)}
	case "/api/auth/refresh":
		return map[string]handler{http.MethodGet: s.refresh}
	case "/api/auth/2fa/status":
		return map[string]handler{http.MethodGet: s.status}
	case "/api/auth/2fa/setup":
		return map[string]handler{http.MethodPost: s.setup}
	case "/api/auth/2fa/verify-setup":
		return map[string]handler{http.MethodPost: s.verifySetup}
	case "/api/auth/2fa/validate":
		return map[string]handler{http.MethodPost: s.validate}
	case "/api/auth/2fa/disable":
		return map[string]handler{http.MethodDelete: s.disable}
	case "/api/auth/2fa/backup-codes/regenerate":
		return map[string]handler{http.MethodPost: s.regenerate}
	case "/api/auth/users":
		return map[string]handler{http.MethodGet: s.listUsers}
	}
	if rest, ok := strings.CutPrefix(path, "/api/auth/security/users/"); ok {
		return s.securityUserRoute(rest)
	}
	if rest, ok := strings.CutPrefix(path, "/api/auth/security/customers/"); ok {
		if code, ok := strings.CutSuffix(rest, "/users"); ok && code != "" && !strings.Contains(code, "/") {
			return map[string]handler{http.MethodGet: s.customerUsers(code)}
		}
	}
	return nil
}

// ServeHTTP routes like FastAPI: an unknown path is 404 and a known path
// with another method 405, both with the framework's {"detail"} body.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.counts[r.URL.Path]++
	// The Date header is net/http's, from the wall clock, as uvicorn's is:
	// the injected clock drives codes, tokens and lockouts only.
	methods := s.routes(r.URL.Path)
	if methods == nil {
		frameworkError(w, http.StatusNotFound, "Not Found")
		return
	}
	h, ok := methods[r.Method]
	if !ok {
		frameworkError(w, http.StatusMethodNotAllowed, "Method Not Allowed")
		return
	}
	h(w, r)
}

// writeJSON sends v with status.
func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// refuse is CoPilot's HTTPException handler: {"success": false, "message"}.
func refuse(w http.ResponseWriter, status int, message string) {
	if status == http.StatusUnauthorized || status == http.StatusForbidden {
		w.Header().Set("WWW-Authenticate", "Bearer")
	}
	writeJSON(w, status, map[string]any{"success": false, "message": message})
}

// frameworkError is FastAPI's own answer for an unknown path or method.
func frameworkError(w http.ResponseWriter, status int, detail string) {
	writeJSON(w, status, map[string]string{"detail": detail})
}

// parseID reads a path parameter declared as int.
func parseID(raw string) (int64, bool) {
	id, err := strconv.ParseInt(raw, 10, 64)
	return id, err == nil
}
