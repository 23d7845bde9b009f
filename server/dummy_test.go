package server_test

import (
	"context"
	"strings"
	"testing"
)

// phcCosts returns the "$argon2id$v=…$m=…,t=…,p=…" prefix of a PHC hash.
func phcCosts(t *testing.T, hash string) string {
	t.Helper()
	parts := strings.Split(hash, "$")
	if len(parts) != 6 {
		t.Fatalf("%d fields in a PHC hash, want 6", len(parts))
	}
	return strings.Join(parts[:4], "$")
}

// TestUnknownUserCostsOneRealCheck shows the hash an unknown username is
// verified against carries exactly the costs of a real account's password
// hash (so both answers take one derivation of the same size), that no
// password opens it, and that the sign-in is refused like a wrong password.
func TestUnknownUserCostsOneRealCheck(t *testing.T) {
	forEachEnv(t, func(t *testing.T, e *env) {
		e.user("alice", "right password", "user")
		u, err := e.srv.Store().Users.ByName(context.Background(), e.srv.Store().DB(), "alice")
		if err != nil {
			t.Fatal(err)
		}
		if got, want := phcCosts(t, e.srv.DummyHash()), phcCosts(t, u.PasswordHash); got != want {
			t.Fatalf("dummy hash costs %q, a password hash %q", got, want)
		}
		if e.srv.DummyHash() == u.PasswordHash {
			t.Fatal("dummy hash equals a user's hash")
		}
		tests := []struct{ user, pass string }{
			{"nobody", "right password"},
			{"nobody", "twofa-dummy-password"},
			{"alice", "wrong password"},
		}
		for _, tt := range tests {
			e.login(tt.user, tt.pass).want(t, 401, "invalid_credentials")
		}
	})
}
