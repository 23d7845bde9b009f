package server

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"strings"
	"time"

	"github.com/twofa/twofa/server/httpx"
	"github.com/twofa/twofa/server/store"
)

// reqCtx is what a handler knows about its caller.
type reqCtx struct {
	addr  string      // client address, for the audit log
	user  store.User  // the session's account (session and admin routes)
	token store.Token // the session's token (session and admin routes)
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
					httpx.WriteError(sw, internalAnswer())
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

// withAuth runs h after the route's authentication has passed, and
// answers the error of either.
func (s *Server) withAuth(kind string, h handlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rc := &reqCtx{}
		rc.addr, _ = r.Context().Value(addrKey{}).(string)
		err := s.authenticate(r, kind, rc)
		if err == nil {
			err = h(w, r, rc)
		}
		if err != nil {
			s.writeError(w, r, kind, err)
		}
	})
}

// authenticate resolves the bearer token of a session or admin route to a
// live session; a pending token is refused here, so it only works at
// /2fa/validate.
func (s *Server) authenticate(r *http.Request, kind string, rc *reqCtx) error {
	if kind != AuthSession && kind != AuthAdmin {
		return nil
	}
	scheme, token, ok := strings.Cut(r.Header.Get("Authorization"), " ")
	token = strings.TrimSpace(token)
	if !ok || !strings.EqualFold(scheme, "Bearer") || token == "" {
		return ErrNoSession
	}
	u, tok, err := s.session(r.Context(), token, rc.addr)
	if err != nil {
		return err
	}
	if err := s.checkEnrolment(r.Context(), r.Pattern, u); err != nil {
		return err
	}
	if kind == AuthAdmin && u.Role != "admin" {
		return ErrForbidden
	}
	rc.user, rc.token = u, tok
	return nil
}
