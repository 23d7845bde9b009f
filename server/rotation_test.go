package server_test

import (
	"context"
	"testing"
	"time"

	"github.com/twofa/twofa/server"
	"github.com/twofa/twofa/server/auth"
	"github.com/twofa/twofa/server/keys"
	"github.com/twofa/twofa/server/servertest"
)

// TestKeyRotationKeepsEveryUserVerifiable: secrets written under the
// JWT-derived key stay readable after rotate-key moves them to a new key,
// and the server then runs with the new key alone.
func TestKeyRotationKeepsEveryUserVerifiable(t *testing.T) {
	forEachEnv(t, func(t *testing.T, e *env) {
		var users []enrolled
		for _, n := range []string{"rot-a", "rot-b", "rot-c"} {
			users = append(users, e.enroll(n))
		}
		e.ref.Close()

		newKey := "cw_0x689RpI-jtRR7oE8h_eQsKImvJapLeSbXpwF4e4="
		oldKey := keys.DeriveFernetKey(servertest.JWTSecret)

		// With only the new key, before rotation, no secret can be read.
		onlyNewKey := func(o *server.Options) { o.TOTPKeys = newKey }
		{
			e2 := openEnv(t, e.db, e.clk, onlyNewKey)
			e2.do("POST", "/api/auth/2fa/validate", "", map[string]string{"temp_token": e2.pending(users[0]), "code": totpAt(t, users[0].secret, e.clk.Now())}).want(t, 500, "internal")
			e2.ref.Close()
		}

		a, err := server.OpenAdmin(context.Background(), server.AdminOptions{DSN: e.db.DSN, Now: e.clk.Now, PasswordHashing: auth.LightParams, Actor: "test"})
		if err != nil {
			t.Fatal(err)
		}
		n, err := a.RotateKey(context.Background(), newKey+","+oldKey, servertest.JWTSecret)
		a.Close()
		if err != nil || n != 3 {
			t.Fatalf("RotateKey = %d, %v; want 3 secrets", n, err)
		}

		e.clk.Advance(time.Minute)
		e3 := openEnv(t, e.db, e.clk, onlyNewKey)
		for _, u := range users {
			e3.do("POST", "/api/auth/2fa/validate", "", map[string]string{"temp_token": e3.pending(u), "code": totpAt(t, u.secret, e.clk.Now())}).want(t, 200, "")
		}
	})
}
