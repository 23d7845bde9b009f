package server

import (
	"net/http"

	"github.com/twofa/twofa/server/httpx"
)

// tokenResponse is the answer of sign-in, refresh and validate.
type tokenResponse struct {
	AccessToken string `json:"access_token"`
	TokenType   string `json:"token_type"`
	Requires2FA bool   `json:"requires_2fa,omitempty"`
}

// handleLogin is POST /api/auth/token: a form with username and password.
// With 2FA on it answers a pending token that only /2fa/validate accepts.
func (s *Server) handleLogin(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	if e := httpx.DecodeForm(w, r); e != nil {
		return e
	}
	username, password := r.PostForm.Get("username"), r.PostForm.Get("password")
	if username == "" || password == "" {
		return httpx.BadRequest("Both username and password are required.")
	}
	res, err := s.signIn(r.Context(), username, password, rc.addr)
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, tokenResponse{AccessToken: res.token, TokenType: "bearer", Requires2FA: res.pending})
	return nil
}

// handleRefresh is GET /api/auth/refresh: a fresh session token for a live
// session, which replaces the one presented (that one no longer works).
func (s *Server) handleRefresh(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	token, err := s.refresh(r.Context(), rc.user, rc.token, rc.addr)
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, tokenResponse{AccessToken: token, TokenType: "bearer"})
	return nil
}

// handleLogout is POST /api/auth/logout [ext]: the session token, and any
// refreshed from it, are revoked at once.
func (s *Server) handleLogout(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	if err := s.logout(r.Context(), rc.user, rc.token, rc.addr); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
