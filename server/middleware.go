package server

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"strings"
	"time"

	"github.com/twofa/twofa/server/auth"
	"github.com/twofa/twofa/server/httpx"
	"github.com/twofa/twofa/server/store"
)

// reqCtx is what a handler knows about its caller.
type reqCtx struct {
	addr      string     // client address, for the audit log
	user      store.User // the session's account (session and admin routes)
	tokenHash string     // the session token's hash (session and admin routes)
}

type addrKey struct{}

// statusWriter remembers the status code for the request log.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

// logRequests logs method, route pattern, status, duration and client
// address of every request — never a body, header value, query or path
// parameter — and turns a panic into a 500 without logging its value.
func (s *Server) logRequests(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w}
		addr := s.clientAddr(r)
		r = r.WithContext(context.WithValue(r.Context(), addrKey{}, addr))
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				s.log.Error("handler panic", "pattern", r.Pattern, "panic_type", fmt.Sprintf("%T", v))
				if sw.status == 0 {
					httpx.WriteError(sw, httpx.Errorf(http.StatusInternalServerError, "internal", "Internal server error"))
				}
			}
			pattern := r.Pattern
			if pattern == "" {
				pattern = "(unmatched)"
			}
			s.log.LogAttrs(r.Context(), slog.LevelInfo, "request",
				slog.String("method", r.Method),
				slog.String("pattern", pattern),
				slog.Int("status", sw.status),
				slog.Duration("duration", time.Since(start)),
				slog.String("client", addr))
		}()
		next.ServeHTTP(sw, r)
	})
}

// clientAddr is the connection's address, or the nearest untrusted
// X-Forwarded-For hop when the connection comes from a trusted proxy.
func (s *Server) clientAddr(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	ip, err := netip.ParseAddr(host)
	if err != nil {
		return host
	}
	ip = ip.Unmap()
	if !s.trusted(ip) {
		return ip.String()
	}
	hops := strings.Split(strings.Join(r.Header.Values("X-Forwarded-For"), ","), ",")
	for i := len(hops) - 1; i >= 0; i-- {
		hop, err := netip.ParseAddr(strings.TrimSpace(hops[i]))
		if err != nil {
			break
		}
		hop = hop.Unmap()
		if !s.trusted(hop) {
			return hop.String()
		}
		ip = hop
	}
	return ip.String()
}

func (s *Server) trusted(ip netip.Addr) bool {
	for _, p := range s.opts.TrustedProxies {
		if p.Contains(ip) {
			return true
		}
	}
	return false
}

// withAuth runs h after the route's authentication has passed.
func (s *Server) withAuth(kind string, h handlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rc := &reqCtx{}
		rc.addr, _ = r.Context().Value(addrKey{}).(string)
		if kind == AuthSession || kind == AuthAdmin {
			if e := s.authenticate(r, rc); e != nil {
				httpx.WriteError(w, e)
				return
			}
			if kind == AuthAdmin && rc.user.Role != "admin" {
				httpx.WriteError(w, httpx.Errorf(http.StatusForbidden, "forbidden", "Administrator privileges are required."))
				return
			}
		}
		if e := h(w, r, rc); e != nil {
			httpx.WriteError(w, e)
		}
	})
}

// errUnauthorized is the answer for a missing, unknown, expired or revoked session.
func errUnauthorized(detail string) *httpx.Error {
	return httpx.Errorf(http.StatusUnauthorized, "unauthorized", "%s", detail)
}

// authenticate resolves the bearer token to a live session; a pending token
// is refused here, so it only works at /2fa/validate.
func (s *Server) authenticate(r *http.Request, rc *reqCtx) *httpx.Error {
	h := r.Header.Get("Authorization")
	scheme, token, ok := strings.Cut(h, " ")
	token = strings.TrimSpace(token)
	if !ok || !strings.EqualFold(scheme, "Bearer") || token == "" {
		return errUnauthorized("Not authenticated")
	}
	hash := auth.HashToken(token)
	tok, err := s.store.Tokens.Lookup(r.Context(), s.store.DB(), hash, s.now())
	if errors.Is(err, store.ErrNotFound) {
		return errUnauthorized("Could not validate credentials: the session is invalid, expired or revoked. Sign in again.")
	}
	if err != nil {
		return s.internal(r, err)
	}
	if tok.Kind != store.KindSession {
		return errUnauthorized("Two-factor authentication required: this sign-in token is only accepted at /api/auth/2fa/validate.")
	}
	u, err := s.store.Users.ByID(r.Context(), s.store.DB(), tok.UserID)
	if errors.Is(err, store.ErrNotFound) {
		return errUnauthorized("Could not validate credentials: the account no longer exists.")
	}
	if err != nil {
		return s.internal(r, err)
	}
	rc.user, rc.tokenHash = u, hash
	return nil
}

// internal logs an unexpected error (store errors carry no secrets) and
// returns a 500 answer that reveals nothing.
func (s *Server) internal(r *http.Request, err error) *httpx.Error {
	s.log.Error("internal error", "pattern", r.Pattern, "err", err.Error())
	return httpx.Errorf(http.StatusInternalServerError, "internal", "Internal server error")
}
