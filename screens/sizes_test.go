package screens

import (
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/twofa/twofa/internal/config"
	"github.com/twofa/twofa/keyring"
	"github.com/twofa/twofa/server/servertest"
)

// The screens TestFlow does not reach, at every golden size: the server
// unreachable at start-up with a session kept, the quit question over new
// backup codes, and a lock shown on the Security tab.

// TestUnreachableScreen: a stored session whose server stopped answering
// (its address now refuses) shows the retry screen, not Sign in.
func TestUnreachableScreen(t *testing.T) { eachSize(t, unreachableWalk) }

// unreachableWalk is TestUnreachableScreen in a terminal of size z.
func unreachableWalk(t *testing.T, z goldenSize) {
	clock := newFakeClock()
	backend, err := url.Parse(startServer(t, clock))
	if err != nil {
		t.Fatal(err)
	}
	front := httptest.NewServer(httputil.NewSingleHostReverseProxy(backend))
	store := keyring.NewMemory(keyring.BackendMemory)
	remembered, err := config.Open(filepath.Join(t.TempDir(), "config.json"))
	if err != nil {
		t.Fatal(err)
	}
	u, _ := url.Parse(front.URL)
	run := func() *term {
		tt := startTermSized(t, New(newTestEnv(t, front.URL, store, remembered), testOptions(clock.Now)), z)
		tt.mask(u.Port())
		return tt
	}
	tt := run()
	tt.signIn(testUser, testPassword)
	tt.waitFor("Two-factor authentication   Off")
	tt.finalApp()
	front.Close() // nothing listens there any more: connections are refused

	tt = run()
	tt.snap("01-unreachable", "Cannot reach the server", "Trying again in 0:02", "Try again now")
}

// TestCodesQuitAndLock: Ctrl+C over regenerated codes asks before
// quitting; five wrong codes at Regenerate lock code checks, and the
// Security tab shows the lock.
func TestCodesQuitAndLock(t *testing.T) { eachSize(t, codesQuitAndLock) }

// codesQuitAndLock is TestCodesQuitAndLock in a terminal of size z.
func codesQuitAndLock(t *testing.T, z goldenSize) {
	clock := newFakeClock()
	s, secret := adminServer(t, clock)
	tt := runAppSized(t, s.URL, clock, z)
	tt.signIn("olga", olgaPassword)
	tt.waitFor("Two-Factor Authentication")
	tt.typeCode(servertest.CodeAt(t, secret, clock.Now()))
	tt.waitFor("Two-factor authentication   On")

	tt.typeText("r")
	tt.waitFor("Enter the current 6-digit code")
	clock.Advance(30 * time.Second)
	tt.typeCode(servertest.CodeAt(t, secret, clock.Now()))
	screen := tt.waitFor("Every earlier code stopped working", "I've saved these codes")
	for _, m := range codeCell.FindAllStringSubmatch(screen, -1) {
		tt.mask(m[1])
	}
	tt.key(tea.KeyCtrlC)
	tt.snap("01-quit-over-codes", "Your backup codes will not be shown again.", "Quit anyway?")
	tt.typeText("n")
	tt.waitFor("I've saved these codes")
	tt.enter()
	tt.waitFor("Continue anyway?")
	tt.typeText("y")
	tt.waitFor("New backup codes are active")

	tt.typeText("r")
	tt.waitFor("Enter the current 6-digit code")
	for i := 0; i < 5; i++ {
		tt.typeCode(wrongCode(t, secret, clock))
		tt.waitFor("Wrong code", "› _ _ _ _ _ _")
	}
	clock.Advance(30 * time.Second)
	tt.typeCode(servertest.CodeAt(t, secret, clock.Now()))
	tt.snap("02-regenerate-locked", "Too many failed attempts", "try again in 14:30")
	tt.key(tea.KeyEscape)
	s2 := tt.snap("03-security-locked", "Code checks", "Two-factor authentication   On")
	if !strings.Contains(s2, "10:16") {
		t.Errorf("the Security tab does not say until when:\n%s", s2)
	}
}

// TestTooSmallScreen: below 60x20 every screen but the QR step gives way
// to one sentence saying how large the terminal must be.
func TestTooSmallScreen(t *testing.T) {
	for _, z := range []goldenSize{{59, 19}, {40, 12}} {
		t.Run(z.String(), func(t *testing.T) {
			clock := newFakeClock()
			tt := startTermSized(t, New(offlineEnv(t), testOptions(clock.Now)), z)
			tt.snap("too-small", "Terminal too small", "at least 60×20")
		})
	}
}
