package server_test

import (
	"encoding/json"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/twofa/twofa/server/servertest"
)

// FuzzRequestBodies sends arbitrary bodies to every JSON route of a real
// server (SQLite) with a live session and pending token: the answer is
// never a 5xx, always JSON with a detail when it is an error, and garbage
// never signs anyone in.
func FuzzRequestBodies(f *testing.F) {
	e := startEnv(f, servertest.Options{}, nil)
	u := e.enroll("fuzz")
	pt := e.pending(u)
	routes := []struct{ method, path string }{
		{"POST", "/api/auth/2fa/validate"},
		{"POST", "/api/auth/2fa/setup"},
		{"POST", "/api/auth/2fa/verify-setup"},
		{"DELETE", "/api/auth/2fa/disable"},
		{"POST", "/api/auth/2fa/backup-codes/regenerate"},
		{"POST", "/api/auth/token"},
	}
	h := e.srv.Handler()
	f.Fuzz(func(t *testing.T, route uint8, body string) {
		rt := routes[int(route)%len(routes)]
		body = strings.ReplaceAll(body, "$PENDING", pt)
		req := httptest.NewRequest(rt.method, rt.path, strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		if rt.path == "/api/auth/token" {
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		}
		req.Header.Set("Authorization", "Bearer "+u.session)
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		if w.Code >= 500 {
			t.Fatalf("%s %s answered %d %s", rt.method, rt.path, w.Code, w.Body.String())
		}
		var out map[string]any
		if err := json.Unmarshal(w.Body.Bytes(), &out); err != nil {
			t.Fatalf("answer is not JSON: %q", w.Body.String())
		}
		if w.Code >= 400 {
			if d, _ := out["detail"].(string); d == "" {
				t.Fatalf("error without detail: %s", w.Body.String())
			}
		}
		if w.Code == 200 && rt.path != "/api/auth/2fa/setup" {
			t.Fatalf("a fuzzed body succeeded at %s: %q → %s", rt.path, body, w.Body.String())
		}
	})
}
