package server_test

import (
	"testing"
	"time"
)

// TestVerifySetupEnablesTheVerifiedSecret: a setup that lands between
// verify-setup reading the pending secret and enabling it (interleaved by
// the server's hook, not by timing) replaces the secret, and verify-setup
// then enables nothing: the code was right for a secret that is no longer
// pending. The new secret is the one that can be verified and used.
func TestVerifySetupEnablesTheVerifiedSecret(t *testing.T) {
	forEachEnv(t, func(t *testing.T, e *env) {
		verifySetupRace(t, e, e)
	})
}

// TestVerifySetupRaceTwoServers: the interleaved setup goes to a second
// server on the same Postgres.
func TestVerifySetupRaceTwoServers(t *testing.T) {
	envs := twoServers(t, nil)
	verifySetupRace(t, envs[0], envs[1])
}

// verifySetupRace runs verify-setup on e while, between its read of the
// pending secret and its transaction, other starts setup again.
func verifySetupRace(t *testing.T, e, other *env) {
	e.user("nina", "nina password", "user")
	tok := e.login("nina", "nina password").want(t, 200, "").str("access_token")
	first := e.do("POST", "/api/auth/2fa/setup", tok, map[string]string{"password": "nina password"}).want(t, 200, "")

	var second resp
	hooked := 0
	e.srv.SetBeforeEnable(func() {
		hooked++
		second = other.do("POST", "/api/auth/2fa/setup", tok, map[string]string{"password": "nina password"}).want(t, 200, "")
	})
	r := e.do("POST", "/api/auth/2fa/verify-setup", tok, map[string]string{"code": totpAt(t, first.str("secret"), e.clk.Now())}).want(t, 400, "setup_required")
	e.srv.SetBeforeEnable(nil)
	if hooked != 1 || second.str("secret") == first.str("secret") {
		t.Fatalf("the hook ran %d times; secrets %q and %q", hooked, first.str("secret"), second.str("secret"))
	}
	if r.str("detail") != "Two-factor setup was started again meanwhile, so this secret is no longer the one pending. Scan the new QR code and verify a code from it." {
		t.Errorf("detail %q", r.str("detail"))
	}
	if st := e.do("GET", "/api/auth/2fa/status", tok, nil).want(t, 200, ""); st.body["enabled"] != false {
		t.Fatalf("2FA enabled with a secret nobody verified: %s", st.raw)
	}

	// The first secret's code stays wrong; the second secret verifies,
	// in the same time step (the refused attempt spent no step).
	e.do("POST", "/api/auth/2fa/verify-setup", tok, map[string]string{"code": totpAt(t, first.str("secret"), e.clk.Now())}).want(t, 400, "invalid_code")
	e.do("POST", "/api/auth/2fa/verify-setup", tok, map[string]string{"code": totpAt(t, second.str("secret"), e.clk.Now())}).want(t, 200, "")
	e.clk.Advance(30 * time.Second)
	pt := e.login("nina", "nina password").want(t, 200, "").str("access_token")
	e.do("POST", "/api/auth/2fa/validate", "", map[string]string{"temp_token": pt, "code": totpAt(t, first.str("secret"), e.clk.Now())}).want(t, 401, "invalid_code")
	e.do("POST", "/api/auth/2fa/validate", "", map[string]string{"temp_token": pt, "code": totpAt(t, second.str("secret"), e.clk.Now())}).want(t, 200, "")
	if n := countEvents(t, e, "nina", "2fa_enabled"); n != 1 {
		t.Fatalf("%d 2fa_enabled events, want 1", n)
	}
}
