package screens

import (
	"context"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/twofa/twofa/server"
	"github.com/twofa/twofa/server/servertest"
)

// require makes role require 2FA with grace on s, as `twofa admin require-2fa` does.
func require(t *testing.T, s *servertest.Server, clock *fakeClock, role string, grace time.Duration) {
	t.Helper()
	a, err := server.OpenAdmin(context.Background(), server.AdminOptions{DSN: s.Database.DSN, Now: clock.Now, Actor: "test"})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	if err := a.Require2FA(context.Background(), role, grace, false); err != nil {
		t.Fatal(err)
	}
}

// TestRequired2FAGrace: in the grace, Security says how long it lasts.
func TestRequired2FAGrace(t *testing.T) {
	clock := newFakeClock()
	s := servertest.New(t, servertest.Options{Clock: clock})
	s.CreateUser(t, testUser, testPassword, "user")
	require(t, s, clock, "user", 7*24*time.Hour)
	clock.Advance(24 * time.Hour)
	tt := runApp(t, s.URL, clock)
	tt.signIn(testUser, testPassword)
	tt.snap("01-grace", "Enable it within 6 days", "9 Jan 2030 10:00 UTC")
}

// TestRequired2FAWizard: past the grace, a new user is walked straight
// into the enable wizard at sign-in; leaving it shows why, and e opens it again.
func TestRequired2FAWizard(t *testing.T) {
	clock := newFakeClock()
	s := servertest.New(t, servertest.Options{Clock: clock})
	require(t, s, clock, "user", 0)
	s.CreateUser(t, "newbie", testPassword, "user")
	tt := runApp(t, s.URL, clock)
	tt.signIn("newbie", testPassword)
	tt.snap("01-wizard", "Step 1 of 5")
	tt.key(tea.KeyEscape)
	tt.snap("02-security", "Enable it to continue", "Enable Two-Factor Authentication")
	tt.typeText("e")
	tt.waitFor("Step 1 of 5")
}
