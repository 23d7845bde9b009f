package server_test

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/twofa/twofa/server"
)

// TestPendingTokenRefusedEverywhere walks the router's route list: a
// pending token is refused with 401 unauthorized by every route that takes
// a bearer token, and no other route treats it as an identity.
func TestPendingTokenRefusedEverywhere(t *testing.T) {
	forEachEnv(t, func(t *testing.T, e *env) {
		u := e.enroll("ivy")
		pt := e.pending(u)
		for _, rt := range server.Routes() {
			t.Run(rt.Method+" "+rt.Pattern, func(t *testing.T) {
				path := strings.ReplaceAll(rt.Pattern, "{user_id}", itoa(u.id))
				r := e.do(rt.Method, path, pt, map[string]string{"password": u.pass, "code": "000000"})
				switch rt.Auth {
				case server.AuthSession, server.AuthAdmin:
					r.want(t, 401, "unauthorized")
					if !strings.Contains(r.str("detail"), "Two-factor authentication required") {
						t.Errorf("detail %q does not say 2FA is required", r.str("detail"))
					}
				case server.AuthPending:
					// The only route that takes it (in its body, not as a bearer).
					r.want(t, 400, "invalid_request")
				case server.AuthPasswordForm:
					r.want(t, 415, "invalid_request")
				case server.AuthNone:
					anon := e.do(rt.Method, path, "", nil)
					if r.status != anon.status || r.raw != anon.raw {
						t.Errorf("public route answered a pending token differently: %s vs %s", r.raw, anon.raw)
					}
				default:
					t.Fatalf("route with unknown auth kind %q", rt.Auth)
				}
			})
		}
		// The pending token was never spent by all that: it still validates once.
		e.do("POST", "/api/auth/2fa/validate", "", map[string]string{"temp_token": pt, "code": totpAt(t, u.secret, e.clk.Now())}).want(t, 200, "")
	})
}

// TestReplayRefusedOnEveryTOTPRoute: a step once accepted is refused on
// login, verify-setup, regenerate and disable, and the refusal is audited.
func TestReplayRefusedOnEveryTOTPRoute(t *testing.T) {
	forEachEnv(t, func(t *testing.T, e *env) {
		u := e.enroll("jack")
		code := func() string { return totpAt(t, u.secret, e.clk.Now()) }

		// validate: the same code twice in one step.
		c := code()
		e.do("POST", "/api/auth/2fa/validate", "", map[string]string{"temp_token": e.pending(u), "code": c}).want(t, 200, "")
		r := e.do("POST", "/api/auth/2fa/validate", "", map[string]string{"temp_token": e.pending(u), "code": c}).want(t, 401, "code_reused")
		if r.str("detail") != "This code has already been used. Wait for a new code." {
			t.Errorf("detail %q", r.str("detail"))
		}
		// An older step (T-1, inside the ±1 window) is refused too.
		e.clk.Advance(30 * time.Second)
		e.do("POST", "/api/auth/2fa/validate", "", map[string]string{"temp_token": e.pending(u), "code": c}).want(t, 401, "code_reused")

		// regenerate then disable in the same step.
		e.clk.Advance(30 * time.Second)
		c = code()
		e.do("POST", "/api/auth/2fa/backup-codes/regenerate", u.session, map[string]string{"code": c}).want(t, 200, "")
		e.do("POST", "/api/auth/2fa/backup-codes/regenerate", u.session, map[string]string{"code": c}).want(t, 401, "code_reused")
		e.do("DELETE", "/api/auth/2fa/disable", u.session, map[string]string{"code": c}).want(t, 401, "code_reused")
		// A code of the next step (T+1) is fresh and works.
		e.do("DELETE", "/api/auth/2fa/disable", u.session, map[string]string{"code": totpAt(t, u.secret, e.clk.Now().Add(30*time.Second))}).want(t, 200, "")

		// verify-setup spends its step: re-enroll and replay the enrollment code at sign-in.
		e.clk.Advance(90 * time.Second)
		setup := e.do("POST", "/api/auth/2fa/setup", u.session, map[string]string{"password": u.pass}).want(t, 200, "")
		c = totpAt(t, setup.str("secret"), e.clk.Now())
		e.do("POST", "/api/auth/2fa/verify-setup", u.session, map[string]string{"code": c}).want(t, 200, "")
		u.secret = setup.str("secret")
		e.do("POST", "/api/auth/2fa/validate", "", map[string]string{"temp_token": e.pending(u), "code": c}).want(t, 401, "code_reused")

		// verify-setup itself refuses a replay: disable with a backup code,
		// enroll again within the same step as the last acceptance.
		var codes []string
		for _, x := range setup.body["backup_codes"].([]any) {
			codes = append(codes, x.(string))
		}
		e.do("DELETE", "/api/auth/2fa/disable", u.session, map[string]string{"backup_code": codes[0]}).want(t, 200, "")
		setup = e.do("POST", "/api/auth/2fa/setup", u.session, map[string]string{"password": u.pass}).want(t, 200, "")
		old := totpAt(t, setup.str("secret"), e.clk.Now().Add(-30*time.Second))
		e.do("POST", "/api/auth/2fa/verify-setup", u.session, map[string]string{"code": old}).want(t, 401, "code_reused")

		n := countEvents(t, e, "jack", server.EventReplayRefused)
		if n != 6 {
			t.Fatalf("%d replay refusals audited, want 6", n)
		}
	})
}

func countEvents(t *testing.T, e *env, user, event string) int {
	t.Helper()
	ev, err := e.srv.Store().Audit.List(context.Background(), e.srv.Store().DB(), user, 10000)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, x := range ev {
		if x.Event == event {
			n++
		}
	}
	return n
}

// TestTOTPWindow: steps T-1, T, T+1 are accepted, T±2 refused.
func TestTOTPWindow(t *testing.T) {
	forEachEnv(t, func(t *testing.T, e *env) {
		u := e.enroll("kate")
		for _, tt := range []struct {
			offset time.Duration
			ok     bool
		}{{-60 * time.Second, false}, {60 * time.Second, false}, {-30 * time.Second, true}, {0, true}, {30 * time.Second, true}} {
			// Move far ahead so the earlier acceptances never mask a replay.
			e.clk.Advance(5 * time.Minute)
			r := e.do("POST", "/api/auth/2fa/validate", "", map[string]string{"temp_token": e.pending(u), "code": totpAt(t, u.secret, e.clk.Now().Add(tt.offset))})
			if (r.status == 200) != tt.ok {
				t.Errorf("offset %v: got %d %s, want ok=%v", tt.offset, r.status, r.raw, tt.ok)
			}
		}
	})
}

// TestLockout: five failures (TOTP and backup codes together, any route)
// lock for 15 minutes with 429, Retry-After and CoPilot's sentence; even
// the right code is refused; a password sign-in resets nothing; the lock
// ends by itself; a success resets the count.
func TestLockout(t *testing.T) {
	forEachEnv(t, func(t *testing.T, e *env) {
		u := e.enroll("liam")
		fail := []func() resp{
			func() resp {
				return e.do("POST", "/api/auth/2fa/validate", "", map[string]string{"temp_token": e.pending(u), "code": "000000"})
			},
			func() resp {
				return e.do("POST", "/api/auth/2fa/validate", "", map[string]string{"temp_token": e.pending(u), "backup_code": "ZZZZZ-ZZZZZ"})
			},
			func() resp {
				return e.do("DELETE", "/api/auth/2fa/disable", u.session, map[string]string{"code": "000000"})
			},
			func() resp {
				return e.do("POST", "/api/auth/2fa/backup-codes/regenerate", u.session, map[string]string{"code": "000000"})
			},
			func() resp {
				return e.do("DELETE", "/api/auth/2fa/disable", u.session, map[string]string{"backup_code": "ZZZZZ-ZZZZZ"})
			},
		}
		for i, f := range fail {
			if r := f(); r.str("code") != "invalid_code" {
				t.Fatalf("failure %d: %d %s", i+1, r.status, r.raw)
			}
		}
		right := func() resp {
			return e.do("POST", "/api/auth/2fa/validate", "", map[string]string{"temp_token": e.pending(u), "code": totpAt(t, u.secret, e.clk.Now())})
		}
		r := right().want(t, 429, "locked_out")
		if r.header.Get("Retry-After") != "900" || r.str("detail") != "Too many failed 2FA attempts. Try again in 900 seconds." {
			t.Fatalf("lockout answer: Retry-After %q, %s", r.header.Get("Retry-After"), r.raw)
		}
		for _, f := range fail {
			f().want(t, 429, "locked_out")
		}
		e.do("DELETE", "/api/auth/2fa/disable", u.session, map[string]string{"backup_code": u.codes[0]}).want(t, 429, "locked_out")
		e.clk.Advance(10 * time.Minute)
		r = right().want(t, 429, "locked_out")
		if r.header.Get("Retry-After") != "300" {
			t.Fatalf("Retry-After %q after 10 minutes, want 300", r.header.Get("Retry-After"))
		}
		e.clk.Advance(5 * time.Minute)
		right().want(t, 200, "")
		// The count restarted: four failures do not lock, a fifth does.
		e.clk.Advance(30 * time.Second)
		for i := 0; i < 4; i++ {
			fail[0]().want(t, 401, "invalid_code")
		}
		right().want(t, 200, "")
		e.clk.Advance(30 * time.Second)
		for i := 0; i < 5; i++ {
			fail[0]().want(t, 401, "invalid_code")
		}
		right().want(t, 429, "locked_out")
		if countEvents(t, e, "liam", server.EventLockout) != 2 {
			t.Fatalf("lockouts audited: %d, want 2", countEvents(t, e, "liam", server.EventLockout))
		}
	})
}

// TestLockSurvivesRestart: the lock lives in the database.
func TestLockSurvivesRestart(t *testing.T) {
	forEachEnv(t, func(t *testing.T, e *env) {
		u := e.enroll("mia")
		for i := 0; i < server.MaxFailures; i++ {
			e.do("POST", "/api/auth/2fa/validate", "", map[string]string{"temp_token": e.pending(u), "code": "000000"}).want(t, 401, "invalid_code")
		}
		e.ref.Close()
		e2 := openEnv(t, e.db, e.clk, nil)
		e2.clk.Advance(time.Minute)
		r := e2.do("POST", "/api/auth/2fa/validate", "", map[string]string{"temp_token": e2.pending(u), "code": totpAt(t, u.secret, e2.clk.Now())}).want(t, 429, "locked_out")
		if r.header.Get("Retry-After") != strconv.Itoa(int((server.LockDuration - time.Minute).Seconds())) {
			t.Fatalf("Retry-After %q", r.header.Get("Retry-After"))
		}
	})
}

// TestWrongBackupCodeCostsNoDerivation: the keyed index finds the
// candidate, so only a right code is run through argon2id.
func TestWrongBackupCodeCostsNoDerivation(t *testing.T) {
	forEachEnv(t, func(t *testing.T, e *env) {
		u := e.enroll("noah")
		before := e.srv.BackupDerivations()
		for _, wrong := range []string{"AAAAA-AAAAA", "ZZZZZ-ZZZZZ", "12345-67890"} {
			e.do("POST", "/api/auth/2fa/validate", "", map[string]string{"temp_token": e.pending(u), "backup_code": wrong}).want(t, 401, "invalid_code")
		}
		if d := e.srv.BackupDerivations() - before; d != 0 {
			t.Fatalf("wrong codes cost %d derivations, want 0", d)
		}
		e.do("POST", "/api/auth/2fa/validate", "", map[string]string{"temp_token": e.pending(u), "backup_code": u.codes[3]}).want(t, 200, "")
		if d := e.srv.BackupDerivations() - before; d != 1 {
			t.Fatalf("a right code cost %d derivations, want 1", d)
		}
		// Spent: the second use is found by no index lookup and costs nothing.
		e.do("POST", "/api/auth/2fa/validate", "", map[string]string{"temp_token": e.pending(u), "backup_code": u.codes[3]}).want(t, 401, "invalid_code")
		if d := e.srv.BackupDerivations() - before; d != 1 {
			t.Fatalf("a spent code cost a derivation")
		}
	})
}

// TestAuditTrail: every security event is recorded with a UTC time, the
// user and the client address.
func TestAuditTrail(t *testing.T) {
	forEachEnv(t, func(t *testing.T, e *env) {
		e.user("boss", "boss password", "admin")
		boss := e.login("boss", "boss password").str("access_token")
		u := e.enroll("olga")
		e.login("olga", "wrong").want(t, 401, "")
		c := totpAt(t, u.secret, e.clk.Now())
		e.do("POST", "/api/auth/2fa/validate", "", map[string]string{"temp_token": e.pending(u), "code": c}).want(t, 200, "")
		e.do("POST", "/api/auth/2fa/validate", "", map[string]string{"temp_token": e.pending(u), "code": c}).want(t, 401, "code_reused")
		e.do("POST", "/api/auth/2fa/validate", "", map[string]string{"temp_token": e.pending(u), "backup_code": u.codes[0]}).want(t, 200, "")
		e.clk.Advance(30 * time.Second)
		e.do("POST", "/api/auth/2fa/backup-codes/regenerate", u.session, map[string]string{"code": totpAt(t, u.secret, e.clk.Now())}).want(t, 200, "")
		for i := 0; i < server.MaxFailures; i++ {
			e.do("DELETE", "/api/auth/2fa/disable", u.session, map[string]string{"code": "000000"})
		}
		e.do("DELETE", "/api/auth/security/users/"+itoa(u.id)+"/totp", boss, nil).want(t, 200, "")
		e.enroll("olga2")
		e.clk.Advance(time.Minute)
		u2 := enrolled{}
		_ = u2
		ev, err := e.srv.Store().Audit.List(context.Background(), e.srv.Store().DB(), "olga", 1000)
		if err != nil {
			t.Fatal(err)
		}
		seen := map[string]bool{}
		for _, x := range ev {
			seen[x.Event] = true
			if x.ClientAddr != "127.0.0.1" || x.At.Location() != time.UTC || x.UserID == nil || *x.UserID != u.id {
				t.Fatalf("audit row %+v: want client 127.0.0.1, UTC time, user id %d", x, u.id)
			}
		}
		for _, want := range []string{server.EventSignInOK, server.EventSignInFailed, server.EventSignInPassword, server.EventSetupStarted, server.EventTwoFactorEnabled,
			server.EventReplayRefused, server.EventBackupCodeUsed, server.EventCodesRegenerated, server.EventTwoFactorFailed, server.EventLockout, server.EventAdminReset} {
			if !seen[want] {
				t.Errorf("no %q event in the audit log", want)
			}
		}
		// Append-only: the database refuses changes.
		if _, err := e.srv.Store().DB().ExecContext(context.Background(), "UPDATE audit_log SET event = 'x'"); err == nil {
			t.Error("audit_log accepted an UPDATE")
		}
		if _, err := e.srv.Store().DB().ExecContext(context.Background(), "DELETE FROM audit_log"); err == nil {
			t.Error("audit_log accepted a DELETE")
		}
	})
}
