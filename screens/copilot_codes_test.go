package screens

import (
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/twofa/twofa/internal/harness/fakecopilot"
)

// The code screens of a signed-in person against the CoPilot-shaped
// server: Verify & Enable, Regenerate and Disable (see copilot_test.go).

// TestCoPilotEnable: the wizard's code step refuses a wrong code with
// "Wrong code", counts CoPilot's 400 lockout down and lets the person try
// again when it ends; the backup codes are shown and saved exactly as
// CoPilot issued them, with the .txt's advice true for CoPilot.
func TestCoPilotEnable(t *testing.T) {
	home := t.TempDir()
	t.Setenv("HOME", home)
	clock := newFakeClock()
	cp := startCoPilot(t, clock, fakecopilot.RoleAnalyst, nil)
	tt := cp.run(t, cp.newEnv(t))
	tt.signIn(testUser, testPassword)
	tt.waitFor("Two-factor authentication   Off")
	tt.typeText("e")
	tt.waitFor("Step 2 of 5", "Issuer   CoPilot")
	tt.typeText("k")
	secret, _ := manualKey(t, tt.waitFor("Manual entry key"))
	tt.typeText("k")
	tt.enter()
	tt.waitFor("Step 3 of 5", "Enter the 6-digit code from your app")

	lockOut(t, tt, cp, "/api/auth/2fa/verify-setup", secret, clock, "Step 3 of 5")
	clock.Advance(60 * time.Second)
	tt.waitFor("try again in 14:00")
	clock.Advance(14*time.Minute + time.Second)
	tt.waitFor("You can try again now.")
	tt.typeCode(totpCode(t, secret, clock))

	s := tt.waitFor("Step 4 of 5", "I've saved these codes")
	shown := issuedCodes(t, s)
	if len(shown) != fakecopilot.BackupCount || regexp.MustCompile(`\d\. [A-Z0-9]{5}-`).MatchString(s) {
		t.Fatalf("want the %d codes exactly as issued (10 characters, no dash), got %q:\n%s", fakecopilot.BackupCount, shown, s)
	}
	tt.mask(shown...)
	tt.snap("copilot-enable-step4-codes", "Step 4 of 5")
	tt.typeText("d")
	tt.waitFor("Save to", "twofa-backup-codes-127.0.0.1-alice-2030-01-02.txt")
	tt.enter()
	tt.waitFor("Saved to ~/twofa-backup-codes-127.0.0.1-alice-2030-01-02.txt")
	body, err := os.ReadFile(filepath.Join(home, "twofa-backup-codes-127.0.0.1-alice-2030-01-02.txt"))
	if err != nil {
		t.Fatal(err)
	}
	for i, c := range shown {
		if !strings.Contains(string(body), "\n"+strconv.Itoa(i+1)+". "+c+"\n") {
			t.Errorf("the file does not hold code %d as issued (%s):\n%s", i+1, c, body)
		}
	}
	if strings.Contains(string(body), "Dashes and spaces do not matter") || !strings.Contains(string(body), "Type it exactly as written here") {
		t.Errorf("the file's advice is not true for CoPilot:\n%s", body)
	}
	// Typed exactly as saved, a code is what CoPilot's own web sign-in accepts.
	if status, err := fakecopilot.WebBackupSignIn(cp.url, testUser, testPassword, shown[0]); err != nil || status != http.StatusOK {
		t.Errorf("CoPilot refused saved code %s typed as written: %d (%v)", shown[0], status, err)
	}
}

// lockOut sends five wrong codes to CoPilot's path, each refused as wrong,
// then a right one, which meets the lockout's 15:00 countdown on the screen
// titled title.
func lockOut(t *testing.T, tt *term, cp *copilot, path, secret string, clock *fakeClock, title string) {
	t.Helper()
	for i := 0; i < 5; i++ {
		tt.refusedOnce(cp, path, wrongCode(t, secret, clock), "✗ Wrong code. Type the 6 digits your app shows now.")
	}
	tt.typeCode(totpCode(t, secret, clock))
	tt.waitFor(title, "Too many failed attempts — try again in 15:00")
}

// signInWith2FA signs in through the TUI with a code of a step CoPilot has
// not seen yet and waits for Security.
func signInWith2FA(t *testing.T, tt *term, clock *fakeClock, secret string) {
	t.Helper()
	tt.signIn(testUser, testPassword)
	tt.waitFor("Two-Factor Authentication")
	clock.Advance(30 * time.Second)
	tt.typeCode(totpCode(t, secret, clock))
	tt.waitFor("Two-factor authentication   On")
}

// signedInCoPilot is enrolledCoPilot signed in with 2FA, on Security.
func signedInCoPilot(t *testing.T) (cp *copilot, tt *term, secret string, backup []string) {
	t.Helper()
	cp, tt, secret, backup = enrolledCoPilot(t)
	signInWith2FA(t, tt, cp.clock, secret)
	return cp, tt, secret, backup
}

// TestCoPilotRegenerate: a wrong code is "Wrong code"; CoPilot's 400
// lockout counts down on this screen too; the new codes are shown exactly
// as issued.
func TestCoPilotRegenerate(t *testing.T) {
	cp, tt, secret, _ := signedInCoPilot(t)
	clock := cp.clock
	tt.typeText("r")
	tt.waitFor("Enter the current 6-digit code")
	lockOut(t, tt, cp, "/api/auth/2fa/backup-codes/regenerate", secret, clock, "Regenerate backup codes")
	clock.Advance(90 * time.Second)
	tt.waitFor("try again in 13:30")
	clock.Advance(14 * time.Minute)
	tt.waitFor("You can try again now.")
	tt.typeCode(totpCode(t, secret, clock))
	s := tt.waitFor("Every earlier code stopped working", "I've saved these codes")
	if n := len(issuedCodes(t, s)); n != fakecopilot.BackupCount {
		t.Fatalf("want %d new codes shown as issued, got %d:\n%s", fakecopilot.BackupCount, n, s)
	}
}

// TestCoPilotDisable: a reused code, a wrong backup code, then CoPilot's
// lockout counting down; once it ends a backup code typed in lower case
// with a dash disables 2FA, because twofa strips what CoPilot would refuse.
func TestCoPilotDisable(t *testing.T) {
	cp, tt, secret, backup := signedInCoPilot(t)
	clock := cp.clock
	tt.typeText("x")
	tt.waitFor("deletes your authenticator secret")
	tt.enter()
	tt.waitFor("To confirm, enter the 6-digit code")
	const disable = "/api/auth/2fa/disable"
	tt.refusedOnce(cp, disable, totpCode(t, secret, clock), "That code was already used.")
	tt.key(tea.KeyTab)
	tt.waitFor("To confirm, enter one of your backup codes.")
	for i := 0; i < 4; i++ {
		tt.backupRefusedOnce(cp, disable, "ZZZZZ-ZZZZ"+string(rune('0'+i)))
	}
	tt.typeText(backup[1])
	tt.enter()
	tt.waitFor("Too many failed attempts — try again in 15:00")
	clock.Advance(15*time.Minute + time.Second) // CoPilot's lock holds while 900 s or less have passed
	tt.waitFor("You can try again now.")
	typed := strings.ToLower(backup[1][:5] + "-" + backup[1][5:])
	tt.typeText(typed)
	tt.waitFor(strings.ToUpper(typed))
	tt.enter()
	tt.waitFor("Two-factor authentication is off.", "Two-factor authentication   Off")
}

// waitUntilRequests waits until path has seen n requests.
func (tt *term) waitUntilRequests(cp *copilot, path string, n int) {
	tt.t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for cp.fake.Requests(path) < n {
		if time.Now().After(deadline) {
			tt.t.Fatalf("%s saw %d requests, want %d", path, cp.fake.Requests(path), n)
		}
		time.Sleep(10 * time.Millisecond)
	}
	if got := cp.fake.Requests(path); got != n {
		tt.t.Fatalf("%s saw %d requests, want exactly %d", path, got, n)
	}
}
