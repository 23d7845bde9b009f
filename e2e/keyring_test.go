package e2e

import (
	"errors"
	"testing"

	"github.com/twofa/twofa/keyring"
)

// sessionStore opens the same session storage the TUI under test falls
// back to (the kernel keyring where there is one) and deletes the test
// account's entry when the test ends, so a failed run leaves nothing behind.
func sessionStore(t *testing.T, server, user string) *keyring.Store {
	t.Helper()
	st := keyring.New(keyring.Options{OS: keyring.NoOSKeyring{}})
	t.Cleanup(func() { _ = st.Delete(server, user) })
	return st
}

// expectStored checks whether a session token is stored for user at server.
func expectStored(t *testing.T, st *keyring.Store, server, user string, want bool) {
	t.Helper()
	tok, err := st.Load(server, user)
	switch {
	case want && err != nil:
		t.Fatalf("no session stored for %s after signing in: %v", user, err)
	case want && tok == "":
		t.Fatalf("an empty session token is stored for %s", user)
	case !want && !errors.Is(err, keyring.ErrNotFound):
		t.Fatalf("a session is still stored for %s after signing out (err %v)", user, err)
	}
}
