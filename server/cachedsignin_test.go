package server_test

import (
	"context"
	"testing"

	"github.com/twofa/twofa/server/keys"
	"github.com/twofa/twofa/server/servertest"
)

// TestCachedSignInFollowsTheDatabase: what the password step cached for a
// pending sign-in is only a hint. When the account changes between the
// password and the code — a new secret, 2FA turned off, the pending token
// revoked — the code is answered as the database says, by the process
// that cached it: the old secret's code is refused and charged, the new
// one's accepted; nothing signs in without an enabled secret or a live
// pending token, and a refusal there charges nothing.
func TestCachedSignInFollowsTheDatabase(t *testing.T) {
	const newSeed = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
	tests := []struct {
		name     string
		change   func(t *testing.T, e *env, u enrolled)
		code     func(t *testing.T, e *env, u enrolled) string
		status   int
		answer   string
		failures int // the account's count afterwards
	}{
		{"new secret, old code", setSecret(newSeed), oldCode, 401, "invalid_code", 1},
		{"new secret, new code", setSecret(newSeed), codeOf(newSeed), 200, "", 0},
		{"2FA off", func(t *testing.T, e *env, u enrolled) {
			execOn(t, e, "DELETE FROM totp_secrets WHERE user_id = $1", u.id)
		}, oldCode, 409, "not_enabled", 0},
		{"pending token revoked", func(t *testing.T, e *env, u enrolled) {
			execOn(t, e, "DELETE FROM tokens WHERE user_id = $1 AND kind = 'pending'", u.id)
		}, oldCode, 401, "pending_expired", 0},
	}
	forEachEnv(t, func(t *testing.T, e *env) {
		for i, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				u := e.enroll("cached" + string(rune('a'+i)))
				pending := e.pending(u)
				tt.change(t, e, u)
				before := countEvents(t, e, u.name, "signin_ok")
				e.do("POST", "/api/auth/2fa/validate", "", map[string]string{"temp_token": pending, "code": tt.code(t, e, u)}).want(t, tt.status, tt.answer)
				signedIn := countEvents(t, e, u.name, "signin_ok") - before
				if want := map[bool]int{true: 1, false: 0}[tt.status == 200]; signedIn != want {
					t.Fatalf("%d sign-ins recorded, want %d", signedIn, want)
				}
				var failed int
				if err := e.srv.Store().DB().QueryRowContext(context.Background(), "SELECT tfa_failed FROM users WHERE id = $1", u.id).Scan(&failed); err != nil {
					t.Fatal(err)
				}
				if failed != tt.failures {
					t.Fatalf("failure count %d, want %d", failed, tt.failures)
				}
			})
		}
	})
}

// setSecret replaces the account's enabled secret with seed, encrypted
// as the server encrypts it.
func setSecret(seed string) func(t *testing.T, e *env, u enrolled) {
	return func(t *testing.T, e *env, u enrolled) {
		ring, err := keys.NewRing("", servertest.JWTSecret)
		if err != nil {
			t.Fatal(err)
		}
		enc, err := ring.Encrypt([]byte(seed))
		if err != nil {
			t.Fatal(err)
		}
		execOn(t, e, "UPDATE totp_secrets SET secret_enc = $1 WHERE user_id = $2", enc, u.id)
	}
}

// oldCode is the current code of the secret the account enrolled with.
func oldCode(t *testing.T, e *env, u enrolled) string { return totpAt(t, u.secret, e.clk.Now()) }

// codeOf is the current code of seed.
func codeOf(seed string) func(t *testing.T, e *env, u enrolled) string {
	return func(t *testing.T, e *env, _ enrolled) string { return totpAt(t, seed, e.clk.Now()) }
}

// execOn runs a statement on the server's database.
func execOn(t *testing.T, e *env, q string, args ...any) {
	t.Helper()
	if _, err := e.srv.Store().DB().ExecContext(context.Background(), q, args...); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
}
