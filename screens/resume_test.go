package screens

import (
	"context"
	"errors"
	"path/filepath"
	"testing"

	"github.com/twofa/twofa/internal/config"
	"github.com/twofa/twofa/keyring"
	"github.com/twofa/twofa/session"
)

// TestResumeStoredSession runs the TUI three times against one server,
// store and config file, as three runs of twofa would: the first signs in,
// the second resumes the stored session straight into Security, and after
// the server revoked it the third says so and deletes it. Under -race this
// also holds the app to its rule that only Update changes the session it
// holds while commands run beside it.
func TestResumeStoredSession(t *testing.T) {
	clock := newFakeClock()
	url := startServer(t, clock)
	store := keyring.NewMemory(keyring.BackendMemory)
	remembered, err := config.Open(filepath.Join(t.TempDir(), "config.json"))
	if err != nil {
		t.Fatal(err)
	}
	run := func() (*Env, *term) {
		env := newTestEnv(t, url, store, remembered)
		return env, startTerm(t, New(env, testOptions(clock.Now)))
	}

	env, tt := run()
	tt.waitFor("Username")
	tt.typeText(testUser)
	tt.enter()
	tt.typeText(testPassword)
	tt.enter()
	tt.waitFor("Two-factor authentication   Off", "Session stored in           memory only")
	first := tt.finalApp().cur.Session
	if !first.SignedIn() || first.User != testUser {
		t.Fatalf("after sign-in the app holds %v", first)
	}

	env, tt = run()
	tt.waitFor("Two-factor authentication   Off", "· "+testUser, "Session stored in           memory only")
	if got := tt.finalApp().cur.Session; got.Token != first.Token {
		t.Fatalf("resumed %v, not the stored session", got)
	}

	if err := env.Sessions.ClientFor(first).Logout(context.Background()); err != nil {
		t.Fatal(err)
	}
	_, tt = run()
	tt.waitFor("Your saved session has ended — sign in again.", "Username")
	if got := tt.finalApp().cur.Session; got.SignedIn() {
		t.Fatalf("the app holds %v after the server refused it", got)
	}
	if _, err := env.Sessions.Load(testUser); !errors.Is(err, session.ErrNotStored) {
		t.Fatalf("the refused session is still stored: %v", err)
	}
}
