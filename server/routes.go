package server

import (
	"net/http"

	"github.com/twofa/twofa/internal/wire"
	"github.com/twofa/twofa/server/httpx"
)

// Authentication kinds of a route.
const (
	AuthNone         = "none"          // open to anyone
	AuthPending      = "pending"       // takes the pending token in its body
	AuthSession      = "session"       // needs a session bearer token
	AuthAdmin        = "admin"         // needs an admin's session bearer token
	AuthPasswordForm = "password-form" // takes username and password as a form
)

// Route describes one endpoint of the API.
type Route struct {
	Method  string
	Pattern string // path pattern as registered on http.ServeMux
	Auth    string // one of the Auth* constants
}

// handlerFunc is a route body: it answers, or returns the error to answer
// (see Server.answer).
type handlerFunc func(w http.ResponseWriter, r *http.Request, rc *reqCtx) error

type routeDef struct {
	Route
	handle func(s *Server, w http.ResponseWriter, r *http.Request, rc *reqCtx) error
}

var routeTable = []routeDef{
	{Route{"POST", "/api/auth/token", AuthPasswordForm}, (*Server).handleLogin},
	{Route{"GET", "/api/auth/refresh", AuthSession}, (*Server).handleRefresh},
	{Route{"GET", "/api/auth/2fa/status", AuthSession}, (*Server).handleStatus},
	{Route{"POST", "/api/auth/2fa/setup", AuthSession}, (*Server).handleSetup},
	{Route{"POST", "/api/auth/2fa/verify-setup", AuthSession}, (*Server).handleVerifySetup},
	{Route{"POST", "/api/auth/2fa/validate", AuthPending}, (*Server).handleValidate},
	{Route{"DELETE", "/api/auth/2fa/disable", AuthSession}, (*Server).handleDisable},
	{Route{"POST", "/api/auth/2fa/backup-codes/regenerate", AuthSession}, (*Server).handleRegenerate},
	{Route{"DELETE", "/api/auth/security/users/{user_id}/totp", AuthAdmin}, (*Server).handleAdminReset},
	{Route{"GET", "/api/auth/users", AuthAdmin}, (*Server).handleUsers},
	{Route{"GET", "/api/auth/security/customers/{customer_code}/users", AuthAdmin}, (*Server).handleCustomerUsers},
	{Route{"POST", "/api/auth/security/users/{user_id}/unlock", AuthAdmin}, (*Server).handleUnlock},
	{Route{"GET", "/api/auth/security/users/{user_id}/events", AuthAdmin}, (*Server).handleEvents},
	{Route{"GET", "/api/auth/me", AuthSession}, (*Server).handleMe},
	{Route{"POST", "/api/auth/logout", AuthSession}, (*Server).handleLogout},
	{Route{"GET", "/api/health", AuthNone}, (*Server).handleHealth},
}

// Routes returns every route the server answers, with its authentication kind.
func Routes() []Route {
	out := make([]Route, len(routeTable))
	for i, d := range routeTable {
		out[i] = d.Route
	}
	return out
}

// routes builds the mux: each route behind its authentication, JSON 405s
// for known paths with another method, a JSON 404 for everything else, all
// wrapped in recovery and the request log.
func (s *Server) routes() http.Handler {
	mux := http.NewServeMux()
	paths := map[string]bool{}
	for _, d := range routeTable {
		handle := d.handle
		mux.Handle(d.Method+" "+d.Pattern, s.withAuth(d.Auth, func(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
			return handle(s, w, r, rc)
		}))
		paths[d.Pattern] = true
	}
	for p := range paths {
		mux.HandleFunc(p, func(w http.ResponseWriter, r *http.Request) {
			httpx.WriteError(w, httpx.Errorf(http.StatusMethodNotAllowed, wire.MethodNotAllowed, "Method Not Allowed"))
		})
	}
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		httpx.WriteError(w, httpx.Errorf(http.StatusNotFound, wire.NotFound, "Not Found"))
	})
	return s.logRequests(mux)
}
