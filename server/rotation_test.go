package server

import (
	"context"
	"testing"
	"time"

	"github.com/twofa/twofa/server/auth"
	"github.com/twofa/twofa/server/keys"
)

// TestKeyRotationKeepsEveryUserVerifiable: secrets written under the
// JWT-derived key stay readable after rotate-key moves them to a new key,
// and the server then runs with the new key alone.
func TestKeyRotationKeepsEveryUserVerifiable(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		e := newEnv(t, b)
		var users []enrolled
		for _, n := range []string{"rot-a", "rot-b", "rot-c"} {
			users = append(users, e.enroll(n))
		}
		e.ts.Close()
		e.srv.Close()

		newKey := "cw_0x689RpI-jtRR7oE8h_eQsKImvJapLeSbXpwF4e4="
		oldKey := keys.DeriveFernetKey(testJWTSecret)

		// With only the new key, before rotation, no secret can be read.
		opts := testOptions(e.dsn, e.clk, &syncBuffer{})
		opts.TOTPKeys = newKey
		{
			e2 := openWith(t, opts, e.clk)
			e2.do("POST", "/api/auth/2fa/validate", "", map[string]string{"temp_token": e2.pending(users[0]), "code": totpAt(t, users[0].secret, e.clk.Now())}).want(t, 500, "internal")
			e2.ts.Close()
			e2.srv.Close()
		}

		a, err := OpenAdmin(context.Background(), AdminOptions{DSN: e.dsn, Now: e.clk.Now, PasswordHashing: auth.LightParams, Actor: "test"})
		if err != nil {
			t.Fatal(err)
		}
		n, err := a.RotateKey(context.Background(), newKey+","+oldKey, testJWTSecret)
		a.Close()
		if err != nil || n != 3 {
			t.Fatalf("RotateKey = %d, %v; want 3 secrets", n, err)
		}

		e.clk.Advance(time.Minute)
		e3 := openWith(t, opts, e.clk)
		for _, u := range users {
			e3.do("POST", "/api/auth/2fa/validate", "", map[string]string{"temp_token": e3.pending(u), "code": totpAt(t, u.secret, e.clk.Now())}).want(t, 200, "")
		}
	})
}

// openWith opens a server with explicit options.
func openWith(t *testing.T, opts Options, clk *clock) *env {
	t.Helper()
	logs := &syncBuffer{}
	srv, err := Open(context.Background(), opts)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	ts := newHTTPTest(srv)
	t.Cleanup(func() { ts.Close(); srv.Close() })
	return &env{t: t, srv: srv, ts: ts, clk: clk, dsn: opts.DSN, logs: logs}
}
