package server

import (
	"errors"
	"net/http"

	"github.com/twofa/twofa/server/auth"
	"github.com/twofa/twofa/server/httpx"
	"github.com/twofa/twofa/server/store"
)

// tokenResponse is the answer of sign-in, refresh and validate.
type tokenResponse struct {
	AccessToken string `json:"access_token"`
	TokenType   string `json:"token_type"`
	Requires2FA bool   `json:"requires_2fa,omitempty"`
}

// handleLogin is POST /api/auth/token: a form with username and password.
// With 2FA on it answers a pending token that only /2fa/validate accepts.
func (s *Server) handleLogin(w http.ResponseWriter, r *http.Request, rc *reqCtx) *httpx.Error {
	if e := httpx.DecodeForm(w, r); e != nil {
		return e
	}
	username, password := r.PostForm.Get("username"), r.PostForm.Get("password")
	if username == "" || password == "" {
		return httpx.BadRequest("Both username and password are required.")
	}
	ctx := r.Context()
	u, err := s.store.Users.ByName(ctx, s.store.DB(), username)
	if errors.Is(err, store.ErrNotFound) {
		// Spend the same time as a real check so names cannot be probed.
		_, _ = auth.VerifyContext(ctx, password, s.dummy)
		s.audit(ctx, nil, store.User{}, EventSignInFailed, rc.addr, "unknown username")
		return httpx.Errorf(http.StatusUnauthorized, "invalid_credentials", "Incorrect username or password")
	}
	if err != nil {
		return s.internal(r, err)
	}
	ok, err := auth.VerifyContext(ctx, password, u.PasswordHash)
	if err != nil {
		return s.internal(r, err)
	}
	if !ok {
		s.audit(ctx, nil, u, EventSignInFailed, rc.addr, "wrong password")
		return httpx.Errorf(http.StatusUnauthorized, "invalid_credentials", "Incorrect username or password")
	}
	now := s.now()
	_ = s.store.Tokens.Purge(ctx, s.store.DB(), now)

	enr, err := s.store.TwoFactor.Enrollment(ctx, s.store.DB(), u.ID)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return s.internal(r, err)
	}
	kind, ttl := store.KindSession, s.opts.AccessTTL
	if err == nil && enr.State == store.StateEnabled {
		kind, ttl = store.KindPending, PendingTTL
	}
	token, hash, err := auth.NewToken()
	if err != nil {
		return s.internal(r, err)
	}
	if err := s.store.Tokens.Insert(ctx, s.store.DB(), hash, u.ID, kind, now, now.Add(ttl)); err != nil {
		return s.internal(r, err)
	}
	if kind == store.KindPending {
		s.audit(ctx, nil, u, EventSignInPassword, rc.addr, "password accepted; second factor required")
		httpx.WriteJSON(w, http.StatusOK, tokenResponse{AccessToken: token, TokenType: "bearer", Requires2FA: true})
		return nil
	}
	s.audit(ctx, nil, u, EventSignInOK, rc.addr, "password")
	httpx.WriteJSON(w, http.StatusOK, tokenResponse{AccessToken: token, TokenType: "bearer"})
	return nil
}

// handleRefresh is GET /api/auth/refresh: a fresh session token for a live session.
func (s *Server) handleRefresh(w http.ResponseWriter, r *http.Request, rc *reqCtx) *httpx.Error {
	now := s.now()
	token, hash, err := auth.NewToken()
	if err != nil {
		return s.internal(r, err)
	}
	if err := s.store.Tokens.Insert(r.Context(), s.store.DB(), hash, rc.user.ID, store.KindSession, now, now.Add(s.opts.AccessTTL)); err != nil {
		return s.internal(r, err)
	}
	httpx.WriteJSON(w, http.StatusOK, tokenResponse{AccessToken: token, TokenType: "bearer"})
	return nil
}

// handleLogout is POST /api/auth/logout [ext]: the session token is revoked at once.
func (s *Server) handleLogout(w http.ResponseWriter, r *http.Request, rc *reqCtx) *httpx.Error {
	if err := s.store.Tokens.Delete(r.Context(), s.store.DB(), rc.tokenHash); err != nil {
		return s.internal(r, err)
	}
	s.audit(r.Context(), nil, rc.user, EventLogout, rc.addr, "")
	w.WriteHeader(http.StatusNoContent)
	return nil
}
