package fakecopilot

import (
	"crypto/sha256"
	"crypto/subtle"
	"errors"
	"net/http"
	"slices"
	"strings"
)

// CoPilot's sentences for the session checks and sign-in.
const (
	msgNotAuthenticated = "Not authenticated"
	msgPendingSession   = "Two-factor authentication required. Complete 2FA verification to obtain a session token."
	msgBadCredentials   = "Incorrect username or password"
	msgCustomerOnly     = "This account is registered for the Customer Portal only. Please log in at the Customer Portal to access your account."
	msgNotCustomer      = "This account does not have access to the Customer Portal."
	msgUserNotFound     = "User not found"
)

// bearer is OAuth2PasswordBearer: the token of an "Authorization: Bearer"
// header, or "" when there is none.
func bearer(r *http.Request) string {
	scheme, tok, ok := strings.Cut(r.Header.Get("Authorization"), " ")
	if !ok || !strings.EqualFold(scheme, "bearer") {
		return ""
	}
	return tok
}

// tokenProblem is decode_token's verdict in CoPilot's words, or "" for a
// session token.
func (s *Server) tokenProblem(tok string) (claims, string) {
	c, err := s.decode(tok)
	switch {
	case errors.Is(err, errExpired):
		return c, "Expired signature"
	case err != nil:
		return c, "Invalid token"
	case c.Type == pendingType:
		return c, msgPendingSession
	}
	return c, ""
}

// signedIn resolves the session token of r the way CoPilot's auth
// dependencies do: no token is OAuth2PasswordBearer's 401, a token that is
// no session is 401 with decode_token's verdict (after prefix), an unknown
// user 401. On refusal it has answered and returns nil.
func (s *Server) signedIn(w http.ResponseWriter, r *http.Request, prefix string) (*user, claims) {
	tok := bearer(r)
	if tok == "" {
		refuse(w, http.StatusUnauthorized, msgNotAuthenticated)
		return nil, claims{}
	}
	c, problem := s.tokenProblem(tok)
	if problem != "" {
		refuse(w, http.StatusUnauthorized, prefix+problem)
		return nil, c
	}
	u := s.users[c.Sub]
	if u == nil {
		refuse(w, http.StatusUnauthorized, msgUserNotFound)
	}
	return u, c
}

// requireScope is require_any_scope: the signed-in user when the session
// token carries one of scopes; otherwise it has answered with CoPilot's 401
// or 403 and returns nil.
func (s *Server) requireScope(w http.ResponseWriter, r *http.Request, scopes ...Role) *user {
	u, c := s.signedIn(w, r, "")
	if u == nil {
		return nil
	}
	names := make([]string, len(scopes))
	for i, sc := range scopes {
		if slices.Contains(c.Scopes, string(sc)) {
			return u
		}
		names[i] = string(sc)
	}
	refuse(w, http.StatusForbidden, "Insufficient permissions. Required one of: "+strings.Join(names, ", "))
	return nil
}

// twoFAUser guards the 2FA routes, open to every role.
func (s *Server) twoFAUser(w http.ResponseWriter, r *http.Request) *user {
	return s.requireScope(w, r, RoleAdmin, RoleAnalyst, RoleCustomerUser)
}

// currentUser is get_current_user, whose own try/except wraps every token
// problem in "Could not decode token: 401: …".
func (s *Server) currentUser(w http.ResponseWriter, r *http.Request) *user {
	u, _ := s.signedIn(w, r, "Could not decode token: 401: ")
	return u
}

// authenticate checks a username and password in constant time.
func (s *Server) authenticate(name, password string) *user {
	u := s.users[name]
	sum := sha256.Sum256([]byte(password))
	if u == nil || subtle.ConstantTimeCompare(sum[:], u.password[:]) != 1 {
		return nil
	}
	return u
}

// token is POST /api/auth/token (customer false) and
// /api/auth/token/customer-portal: the form sign-in, each refusing the
// other portal's accounts with 403.
func (s *Server) token(customer bool) handler {
	return func(w http.ResponseWriter, r *http.Request) {
		form, ok := readForm(w, r, "username", "password")
		if !ok {
			return
		}
		u := s.authenticate(form["username"], form["password"])
		switch {
		case u == nil:
			refuse(w, http.StatusUnauthorized, msgBadCredentials)
			return
		case !customer && u.role == RoleCustomerUser:
			refuse(w, http.StatusForbidden, msgCustomerOnly)
			return
		case customer && u.role != RoleCustomerUser:
			refuse(w, http.StatusForbidden, msgNotCustomer)
			return
		}
		if u.totp != nil && u.totp.enabled {
			writeJSON(w, http.StatusOK, map[string]any{"access_token": s.pending(u), "token_type": "bearer", "requires_2fa": true})
			return
		}
		s.signedInNow(u)
		writeJSON(w, http.StatusOK, map[string]any{"access_token": s.session(u, customer), "token_type": "bearer"})
	}
}

// refresh is GET /api/auth/refresh: a fresh session token for a live one.
func (s *Server) refresh(w http.ResponseWriter, r *http.Request) {
	u := s.currentUser(w, r)
	if u == nil {
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"access_token": s.session(u, false), "token_type": "bearer"})
}
