package server_test

import (
	"testing"
	"time"

	"github.com/twofa/twofa/internal/wire"
	"github.com/twofa/twofa/server/servertest"
)

func TestRequired2FA(t *testing.T) {
	forEachEnv(t, func(t *testing.T, e *env) {
		e.user("nina", "correct horse nina", "user")
		e.user("root", "correct horse root", "admin")
		e.ref.Require2FA(t, "user", 7*24*time.Hour, false)

		// In the grace: a full session, and /me says until when.
		tok := e.login("nina", "correct horse nina").want(t, 200, "").str("access_token")
		me := e.do("GET", "/api/auth/me", tok, nil).want(t, 200, "")
		tf := me.body["two_factor"].(map[string]any)
		if tf["required"] != true || tf["enrollment_only"] == true || tf["required_by"] != servertest.Start.Add(7*24*time.Hour).Format(time.RFC3339) {
			t.Fatalf("in the grace: %s", me.raw)
		}
		e.do("GET", "/api/auth/users", tok, nil).want(t, 403, wire.Forbidden)

		// After it: only enrolment.
		e.clk.Advance(7*24*time.Hour + time.Second)
		tok = e.login("nina", "correct horse nina").want(t, 200, "").str("access_token")
		me = e.do("GET", "/api/auth/me", tok, nil).want(t, 200, "")
		if me.body["two_factor"].(map[string]any)["enrollment_only"] != true {
			t.Fatalf("after the grace: %s", me.raw)
		}
		e.do("DELETE", "/api/auth/2fa/disable", tok, map[string]string{"code": "123456"}).want(t, 403, wire.EnrollmentRequired)
		e.do("POST", "/api/auth/2fa/backup-codes/regenerate", tok, map[string]string{"code": "123456"}).want(t, 403, wire.EnrollmentRequired)
		e.do("GET", "/api/auth/2fa/status", tok, nil).want(t, 200, "")
		setup := e.do("POST", "/api/auth/2fa/setup", tok, map[string]string{"password": "correct horse nina"}).want(t, 200, "")
		e.do("POST", "/api/auth/2fa/verify-setup", tok, map[string]string{"code": totpAt(t, setup.str("secret"), e.clk.Now())}).want(t, 200, "")
		// Enrolled: the session is a full one again.
		e.do("POST", "/api/auth/2fa/backup-codes/regenerate", tok, map[string]string{"code": "000000"}).want(t, 400, wire.InvalidCode)

		// Another role is not concerned; off ends the rule.
		root := e.login("root", "correct horse root").want(t, 200, "").str("access_token")
		e.do("GET", "/api/auth/users", root, nil).want(t, 200, "")
		e.user("nico", "correct horse nico", "user")
		e.clk.Advance(8 * 24 * time.Hour)
		nico := e.login("nico", "correct horse nico").want(t, 200, "").str("access_token")
		e.do("DELETE", "/api/auth/2fa/disable", nico, map[string]string{"code": "123456"}).want(t, 403, wire.EnrollmentRequired)
		e.ref.Require2FA(t, "user", 0, true)
		e.do("DELETE", "/api/auth/2fa/disable", nico, map[string]string{"code": "123456"}).want(t, 409, wire.NotEnabled)
	})
}
