package server_test

import (
	"context"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/twofa/twofa/server"
)

// TestLoginErrors covers the sign-in rows of api.md's error table.
func TestLoginErrors(t *testing.T) {
	forEachEnv(t, func(t *testing.T, e *env) {
		e.user("bob", "right password", "user")
		tests := []struct {
			name   string
			body   any
			status int
			code   string
		}{
			{"wrong password", url.Values{"username": {"bob"}, "password": {"wrong password"}}, 401, "invalid_credentials"},
			{"unknown user", url.Values{"username": {"nobody"}, "password": {"right password"}}, 401, "invalid_credentials"},
			{"missing password", url.Values{"username": {"bob"}}, 400, "invalid_request"},
			{"JSON instead of a form", `{"username":"bob","password":"right password"}`, 415, "invalid_request"},
			{"right password", url.Values{"username": {"bob"}, "password": {"right password"}}, 200, ""},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				r := e.do("POST", "/api/auth/token", "", tt.body).want(t, tt.status, tt.code)
				if tt.status == 401 && r.str("detail") != "Incorrect username or password" {
					t.Errorf("detail %q", r.str("detail"))
				}
			})
		}
	})
}

// TestSessionErrors: missing, unknown, revoked and expired sessions get 401 unauthorized.
func TestSessionErrors(t *testing.T) {
	forEachEnv(t, func(t *testing.T, e *env) {
		e.user("carol", "carol password", "user")
		tok := e.login("carol", "carol password").want(t, 200, "").str("access_token")
		e.do("GET", "/api/auth/me", "", nil).want(t, 401, "unauthorized")
		e.do("GET", "/api/auth/me", "not-a-token", nil).want(t, 401, "unauthorized")
		e.do("GET", "/api/auth/me", tok, nil).want(t, 200, "")
		e.clk.Advance(24*time.Hour + time.Second)
		e.do("GET", "/api/auth/me", tok, nil).want(t, 401, "unauthorized")
		tok = e.login("carol", "carol password").want(t, 200, "").str("access_token")
		e.do("POST", "/api/auth/logout", tok, nil).want(t, 204, "")
		e.do("GET", "/api/auth/2fa/status", tok, nil).want(t, 401, "unauthorized")
		e.do("GET", "/api/nope", "", nil).want(t, 404, "not_found")
		e.do("PUT", "/api/auth/token", "", nil).want(t, 405, "method_not_allowed")
	})
}

// TestSetupErrors covers setup's password check, 409s and replacement.
func TestSetupErrors(t *testing.T) {
	forEachEnv(t, func(t *testing.T, e *env) {
		e.user("dave", "dave password", "user")
		tok := e.login("dave", "dave password").str("access_token")
		e.do("POST", "/api/auth/2fa/setup", tok, nil).want(t, 401, "password_required")
		e.do("POST", "/api/auth/2fa/setup", tok, map[string]string{}).want(t, 401, "password_required")
		e.do("POST", "/api/auth/2fa/setup", tok, map[string]string{"password": "nope"}).want(t, 401, "invalid_password")
		e.do("POST", "/api/auth/2fa/verify-setup", tok, map[string]string{"code": "123456"}).want(t, 400, "setup_required")
		e.do("DELETE", "/api/auth/2fa/disable", tok, map[string]string{"code": "123456"}).want(t, 409, "not_enabled")
		e.do("POST", "/api/auth/2fa/backup-codes/regenerate", tok, map[string]string{"code": "123456"}).want(t, 409, "not_enabled")

		first := e.do("POST", "/api/auth/2fa/setup", tok, map[string]string{"password": "dave password"}).want(t, 200, "")
		second := e.do("POST", "/api/auth/2fa/setup", tok, map[string]string{"password": "dave password"}).want(t, 200, "")
		if first.str("secret") == second.str("secret") {
			t.Fatal("second setup kept the first secret")
		}
		if !strings.HasPrefix(second.str("otpauth_url"), "otpauth://totp/twofa-test:dave?") || !strings.HasPrefix(second.str("qr_data_uri"), "data:image/png;base64,") {
			t.Fatalf("setup answer: %s", second.raw)
		}
		if len(second.str("secret")) != 32 { // 160 bits in base32
			t.Fatalf("secret %d base32 chars, want 32", len(second.str("secret")))
		}
		// The replaced secret no longer verifies; the new one does.
		e.do("POST", "/api/auth/2fa/verify-setup", tok, map[string]string{"code": totpAt(t, first.str("secret"), e.clk.Now())}).want(t, 400, "invalid_code")
		e.do("POST", "/api/auth/2fa/verify-setup", tok, map[string]string{"code": totpAt(t, second.str("secret"), e.clk.Now())}).want(t, 200, "")
		e.do("POST", "/api/auth/2fa/setup", tok, map[string]string{"password": "dave password"}).want(t, 409, "already_enabled")
		e.do("POST", "/api/auth/2fa/verify-setup", tok, map[string]string{"code": "123456"}).want(t, 409, "already_enabled")
		// The secret is never returned again.
		for _, p := range []string{"/api/auth/2fa/status", "/api/auth/me"} {
			if r := e.do("GET", p, tok, nil); strings.Contains(r.raw, second.str("secret")) {
				t.Fatalf("%s returned the secret", p)
			}
		}
	})
}

// TestWrongCodeStatuses: a wrong code is 401 at validate and 400 elsewhere,
// code invalid_code, for TOTP and backup codes.
func TestWrongCodeStatuses(t *testing.T) {
	forEachEnv(t, func(t *testing.T, e *env) {
		u := e.enroll("erin")
		e.do("POST", "/api/auth/2fa/validate", "", map[string]string{"temp_token": e.pending(u), "code": "000000"}).want(t, 401, "invalid_code")
		e.do("POST", "/api/auth/2fa/validate", "", map[string]string{"temp_token": e.pending(u), "backup_code": "AAAAA-AAAAA"}).want(t, 401, "invalid_code")
		e.do("DELETE", "/api/auth/2fa/disable", u.session, map[string]string{"code": "000000"}).want(t, 400, "invalid_code")
		e.do("DELETE", "/api/auth/2fa/disable", u.session, map[string]string{"backup_code": "not-a-code"}).want(t, 400, "invalid_code")
		// Four failures so far; a success resets the count.
		e.do("POST", "/api/auth/2fa/validate", "", map[string]string{"temp_token": e.pending(u), "code": totpAt(t, u.secret, e.clk.Now())}).want(t, 200, "")
		e.do("POST", "/api/auth/2fa/backup-codes/regenerate", u.session, map[string]string{"code": "000000"}).want(t, 400, "invalid_code")
		e.do("POST", "/api/auth/2fa/backup-codes/regenerate", u.session, map[string]string{"code": "12345"}).want(t, 400, "invalid_code")
		e.do("DELETE", "/api/auth/2fa/disable", u.session, map[string]string{"code": "1", "backup_code": "2"}).want(t, 400, "invalid_request")
		e.do("DELETE", "/api/auth/2fa/disable", u.session, map[string]string{}).want(t, 400, "invalid_request")
		// Not locked: only 2 failures since the reset.
		e.clk.Advance(30 * time.Second)
		e.do("POST", "/api/auth/2fa/validate", "", map[string]string{"temp_token": e.pending(u), "code": totpAt(t, u.secret, e.clk.Now())}).want(t, 200, "")
	})
}

// TestPendingTokenRules: 5 minutes, single use, and garbage refused.
func TestPendingTokenRules(t *testing.T) {
	forEachEnv(t, func(t *testing.T, e *env) {
		u := e.enroll("frank")
		pt := e.pending(u)
		e.clk.Advance(server.PendingTTL + time.Second)
		e.do("POST", "/api/auth/2fa/validate", "", map[string]string{"temp_token": pt, "code": totpAt(t, u.secret, e.clk.Now())}).want(t, 401, "pending_expired")

		pt = e.pending(u)
		e.do("POST", "/api/auth/2fa/validate", "", map[string]string{"temp_token": pt, "code": totpAt(t, u.secret, e.clk.Now())}).want(t, 200, "")
		e.clk.Advance(30 * time.Second)
		e.do("POST", "/api/auth/2fa/validate", "", map[string]string{"temp_token": pt, "code": totpAt(t, u.secret, e.clk.Now())}).want(t, 401, "pending_expired")
		e.do("POST", "/api/auth/2fa/validate", "", map[string]string{"temp_token": "garbage", "code": "123456"}).want(t, 401, "pending_expired")
		// A session token is not a pending token either.
		e.do("POST", "/api/auth/2fa/validate", "", map[string]string{"temp_token": u.session, "code": totpAt(t, u.secret, e.clk.Now())}).want(t, 401, "pending_expired")
		e.do("POST", "/api/auth/2fa/validate", "", map[string]string{"code": "123456"}).want(t, 400, "invalid_request")
	})
}

// TestMalformedInputChangesNothing: bad bodies answer 400 and neither
// charge the failure count nor spend the pending token.
func TestMalformedInputChangesNothing(t *testing.T) {
	forEachEnv(t, func(t *testing.T, e *env) {
		u := e.enroll("gina")
		pt := e.pending(u)
		bodies := []struct {
			name, body string
			status     int
		}{
			{"not JSON", `{"temp_token":`, 400},
			{"unknown field", `{"temp_token":"` + pt + `","code":"000000","admin":true}`, 400},
			{"wrong type", `{"temp_token":"` + pt + `","code":123456}`, 400},
			{"array", `[1,2,3]`, 400},
			{"two objects", `{"temp_token":"` + pt + `","code":"000000"}{}`, 400},
			{"repeated key", `{"temp_token":"` + pt + `","code":"000000","code":"111111"}`, 400},
			{"key in another case", `{"temp_token":"` + pt + `","Code":"000000"}`, 400},
			{"oversize", `{"temp_token":"` + strings.Repeat("a", 20<<10) + `"}`, 413},
			{"empty", ``, 400},
		}
		for i := 0; i < 2; i++ {
			for _, tt := range bodies {
				r := e.do("POST", "/api/auth/2fa/validate", "", tt.body)
				if r.status != tt.status || r.str("detail") == "" {
					t.Fatalf("%s: got %d %s; want %d with a detail", tt.name, r.status, r.raw, tt.status)
				}
			}
		}
		// 18 bad requests later: not locked, and the pending token still works.
		e.do("POST", "/api/auth/2fa/validate", "", map[string]string{"temp_token": pt, "code": totpAt(t, u.secret, e.clk.Now())}).want(t, 200, "")
		ev, err := e.srv.Store().Audit.List(context.Background(), e.srv.Store().DB(), "gina", 100)
		if err != nil {
			t.Fatal(err)
		}
		for _, x := range ev {
			if x.Event == server.EventTwoFactorFailed {
				t.Fatalf("malformed input was charged as a failed attempt: %+v", x)
			}
		}
	})
}

// TestAdminReset: admin only; removes 2FA, clears the lock, revokes sessions.
func TestAdminReset(t *testing.T) {
	forEachEnv(t, func(t *testing.T, e *env) {
		e.user("root", "root password", "admin")
		admin := e.login("root", "root password").str("access_token")
		u := e.enroll("hank")
		for i := 0; i < server.MaxFailures; i++ {
			e.do("POST", "/api/auth/2fa/validate", "", map[string]string{"temp_token": e.pending(u), "code": "000000"})
		}
		e.do("POST", "/api/auth/2fa/validate", "", map[string]string{"temp_token": e.pending(u), "code": totpAt(t, u.secret, e.clk.Now())}).want(t, 429, "locked_out")

		path := "/api/auth/security/users/" + itoa(u.id) + "/totp"
		e.do("DELETE", path, u.session, nil).want(t, 403, "forbidden")
		e.do("DELETE", "/api/auth/security/users/999999/totp", admin, nil).want(t, 404, "not_found")
		e.do("DELETE", "/api/auth/security/users/abc/totp", admin, nil).want(t, 400, "invalid_request")
		r := e.do("DELETE", path, admin, nil).want(t, 200, "")
		if r.body["success"] != true {
			t.Fatalf("reset answer: %s", r.raw)
		}
		e.do("GET", "/api/auth/me", u.session, nil).want(t, 401, "unauthorized")
		login := e.login(u.name, u.pass).want(t, 200, "")
		if _, ok := login.body["requires_2fa"]; ok {
			t.Fatal("2FA still required after admin reset")
		}
		remaining, total, _ := e.srv.Store().TwoFactor.CountBackupCodes(context.Background(), e.srv.Store().DB(), u.id)
		if remaining != 0 || total != 0 {
			t.Fatalf("backup codes left after reset: %d/%d", remaining, total)
		}
		// The lock is cleared: enrolling again and signing in works at once.
		e.do("GET", "/api/auth/me", admin, nil).want(t, 200, "")
	})
}
