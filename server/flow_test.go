package server_test

import (
	"strings"
	"testing"
	"time"
)

// TestFullCycle walks one account through every route's happy path.
func TestFullCycle(t *testing.T) {
	forEachEnv(t, func(t *testing.T, e *env) {
		e.do("GET", "/api/health", "", nil).want(t, 200, "")
		u := e.enroll("alice")
		if len(u.codes) != 10 {
			t.Fatalf("got %d backup codes, want 10", len(u.codes))
		}
		for _, c := range u.codes {
			if len(c) != 11 || c[5] != '-' {
				t.Fatalf("backup code %q not shown as XXXXX-XXXXX", c)
			}
		}
		st := e.do("GET", "/api/auth/2fa/status", u.session, nil).want(t, 200, "")
		if st.body["enabled"] != true || st.body["success"] != true {
			t.Fatalf("status: %s", st.raw)
		}

		// Sign in with TOTP.
		pt := e.pending(u)
		sess := e.do("POST", "/api/auth/2fa/validate", "", map[string]string{"temp_token": pt, "code": totpAt(t, u.secret, e.clk.Now())}).want(t, 200, "")
		tok := sess.str("access_token")
		if tok == "" || tok == pt || sess.str("token_type") != "bearer" {
			t.Fatalf("validate: %s", sess.raw)
		}
		e.do("GET", "/api/auth/2fa/status", tok, nil).want(t, 200, "")

		// Sign in with a backup code typed in lower case with a space.
		pt = e.pending(u)
		typed := strings.ToLower(strings.Replace(u.codes[0], "-", " ", 1))
		tok = e.do("POST", "/api/auth/2fa/validate", "", map[string]string{"temp_token": pt, "backup_code": typed}).want(t, 200, "").str("access_token")
		me := e.do("GET", "/api/auth/me", tok, nil).want(t, 200, "")
		tf := me.body["two_factor"].(map[string]any)
		if me.str("username") != "alice" || tf["enabled"] != true || tf["backup_codes_remaining"] != float64(9) || tf["backup_codes_total"] != float64(10) || tf["enabled_at"] == nil {
			t.Fatalf("me: %s", me.raw)
		}

		// Refresh gives another working session, which replaces this one.
		tok = e.do("GET", "/api/auth/refresh", tok, nil).want(t, 200, "").str("access_token")
		e.do("GET", "/api/auth/me", tok, nil).want(t, 200, "")

		// Regenerate: new set of 10, old codes dead.
		e.clk.Advance(30 * time.Second)
		rg := e.do("POST", "/api/auth/2fa/backup-codes/regenerate", tok, map[string]string{"code": totpAt(t, u.secret, e.clk.Now())}).want(t, 200, "")
		if n := len(rg.body["backup_codes"].([]any)); n != 10 {
			t.Fatalf("regenerate gave %d codes", n)
		}
		pt = e.pending(u)
		e.do("POST", "/api/auth/2fa/validate", "", map[string]string{"temp_token": pt, "backup_code": u.codes[1]}).want(t, 401, "invalid_code")

		// Disable with a code: secret and codes gone.
		e.clk.Advance(30 * time.Second)
		e.do("DELETE", "/api/auth/2fa/disable", tok, map[string]string{"code": totpAt(t, u.secret, e.clk.Now())}).want(t, 200, "")
		st = e.do("GET", "/api/auth/2fa/status", tok, nil).want(t, 200, "")
		if st.body["enabled"] != false {
			t.Fatalf("status after disable: %s", st.raw)
		}
		r := e.login(u.name, u.pass).want(t, 200, "")
		if _, ok := r.body["requires_2fa"]; ok {
			t.Fatalf("login after disable still asks for 2FA: %s", r.raw)
		}

		// Logout revokes at once.
		e.do("POST", "/api/auth/logout", tok, nil).want(t, 204, "")
		e.do("GET", "/api/auth/me", tok, nil).want(t, 401, "unauthorized")
	})
}
