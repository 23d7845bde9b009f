package screens

import (
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/twofa/twofa/server/servertest"
)

// TestRequired2FAGrace: in the grace, Security says how long it lasts.
func TestRequired2FAGrace(t *testing.T) { eachSize(t, required2FAGrace) }

// required2FAGrace is TestRequired2FAGrace in a terminal of size z.
func required2FAGrace(t *testing.T, z goldenSize) {
	clock := newFakeClock()
	s := servertest.New(t, servertest.Options{Clock: clock})
	s.CreateUser(t, testUser, testPassword, "user")
	s.Require2FA(t, "user", 7*24*time.Hour, false)
	clock.Advance(24 * time.Hour)
	tt := runAppSized(t, s.URL, clock, z)
	tt.signIn(testUser, testPassword)
	tt.snap("01-grace", "Enable it within 6 days", "2030-01-09 10:00 UTC")
}

// TestRequired2FAWizard: past the grace, a new user is walked straight
// into the enable wizard at sign-in; leaving it shows why, and e opens it again.
func TestRequired2FAWizard(t *testing.T) { eachSize(t, required2FAWizard) }

// required2FAWizard is TestRequired2FAWizard in a terminal of size z.
func required2FAWizard(t *testing.T, z goldenSize) {
	clock := newFakeClock()
	s := servertest.New(t, servertest.Options{Clock: clock})
	s.Require2FA(t, "user", 0, false)
	s.CreateUser(t, "newbie", testPassword, "user")
	tt := runAppSized(t, s.URL, clock, z)
	tt.signIn("newbie", testPassword)
	tt.snap("01-wizard", "Step 1 of 5")
	tt.key(tea.KeyEscape)
	tt.snap("02-security", "Enable it to continue", "Enable Two-Factor Authentication")
	tt.typeText("e")
	tt.waitFor("Step 1 of 5")
}
