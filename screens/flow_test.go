package screens

import (
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/twofa/twofa/keyring"
	"github.com/twofa/twofa/server/servertest"
)

var (
	secretLine = regexp.MustCompile(`(?m)^ ((?:[A-Z2-7]{4} ){3}[A-Z2-7]{4})(?: |$)`)
	codeCell   = regexp.MustCompile(`\d+\. ([0-9A-Z]{5}-[0-9A-Z]{5})`)
)

// totpCode is the authenticator app: the code for secret at the fake time.
func totpCode(t *testing.T, secret string, clock *fakeClock) string {
	t.Helper()
	return servertest.CodeAt(t, secret, clock.Now())
}

// TestFlow drives every screen at 60x20, 80x24 and 120x40 against a real reference server
// with real TOTP codes, comparing each screen with its golden file:
// sign in, enable (all five steps with both guards and a download), sign
// out, sign in with TOTP, with a backup code, a lockout that outlives the
// pending sign-in, regenerate, and disable.
func TestFlow(t *testing.T) { eachSize(t, flow) }

// flow is TestFlow's walk in a terminal of size z.
func flow(t *testing.T, z goldenSize) {
	home := t.TempDir()
	t.Setenv("HOME", home)
	clock := newFakeClock()
	srvURL := startServer(t, clock)
	env := newTestEnv(t, srvURL, keyring.NewMemory(keyring.BackendMemory), nil)
	app := New(env, testOptions(clock.Now))
	tt := startTermSized(t, app, z)
	u, _ := url.Parse(srvURL)
	tt.mask(u.Port())

	// Sign in.
	tt.snap("01-sign-in", "Sign in", "Username")
	tt.typeText(testUser)
	tt.enter()
	tt.typeText("wrong password")
	tt.enter()
	tt.snap("02-sign-in-wrong-password", "Incorrect username or password.")
	tt.typeText(testPassword)
	tt.enter()
	tt.snap("03-security-off", "Two-factor authentication   Off", "memory only")
	tt.key(tea.KeyShiftTab)
	tt.snap("04-profile", "[Profile]", "User ID")
	tt.key(tea.KeyTab)
	tt.typeText("?")
	tt.snap("05-help", "Keys", "? or esc to close")
	tt.typeText("?")
	tt.waitFor("[Security]")

	// Enable, step 1: the password again.
	tt.typeText("e")
	tt.snap("06-enable-step1", "Step 1 of 5", "enter your password again")
	tt.typeText("not it")
	tt.enter()
	tt.snap("07-enable-step1-wrong-password", "That password is not right")
	tt.typeText(testPassword)
	tt.enter()
	// Step 2: the QR code; k shows the key to read the secret from.
	tt.snap("08-enable-step2-qr", "Step 2 of 5", "Scan this QR code", "Copy key")
	tt.typeText("k")
	s := tt.waitFor("Manual entry key")
	secret, lines := manualKey(t, s)
	tt.mask(lines[0], lines[1])
	// The otpauth URI is wrapped over lines; mask each piece of the secret.
	for _, line := range strings.Split(s, "\n") {
		for _, run := range regexp.MustCompile(`[A-Z2-7]{4,}`).FindAllString(line, -1) {
			if strings.Contains(secret, run) {
				tt.mask(run)
			}
		}
	}
	tt.snap("09-enable-step2-manual-key", "Manual entry key", "otpauth://totp/")
	tt.typeText("k")
	tt.waitFor("Scan this QR code")
	tt.enter()

	// Step 3: a wrong code keeps you here; the right one enables 2FA.
	tt.snap("10-enable-step3", "Step 3 of 5", "Enter the 6-digit code from your app")
	wrong := "000000"
	if totpCode(t, secret, clock) == wrong {
		wrong = "111111"
	}
	tt.typeText(wrong)
	tt.enter()
	tt.snap("11-enable-step3-wrong-code", "Wrong code")
	tt.typeText(totpCode(t, secret, clock))
	tt.enter()

	// Step 4: the backup codes, shown once, and their guards.
	s = tt.waitFor("Step 4 of 5", "I've saved these codes")
	var backup []string
	for _, m := range codeCell.FindAllStringSubmatch(s, -1) {
		backup = append(backup, m[1])
		tt.mask(m[1])
	}
	if len(backup) < 8 {
		t.Fatalf("want at least 8 backup codes on screen, got %d:\n%s", len(backup), s)
	}
	tt.snap("12-enable-step4-codes", "Step 4 of 5")
	tt.key(tea.KeyEscape)
	tt.snap("13-enable-step4-leave-guard", "Your backup codes will not be shown again.", "Leave anyway?")
	tt.typeText("n")
	tt.enter()
	tt.snap("14-enable-step4-unsaved-guard", "You have not copied or downloaded these codes.")
	tt.typeText("n")
	tt.typeText("d")
	tt.snap("15-enable-step4-download-prompt", "Save to", "alice-2030-01-02.txt")
	tt.enter()
	tt.snap("16-enable-step4-downloaded", "Saved to ~/twofa-backup-codes-127.0.0.1-alice-2030-01-02.txt")
	file := filepath.Join(home, "twofa-backup-codes-127.0.0.1-alice-2030-01-02.txt")
	checkBackupFile(t, file, backup)
	// Downloading again asks before replacing.
	tt.typeText("d")
	tt.waitFor("Save to")
	tt.enter()
	tt.snap("17-enable-step4-replace", "A file already exists", "Replace it?")
	tt.typeText("y")
	tt.waitFor("Saved to")
	tt.enter()
	tt.snap("18-enable-step5-done", "Step 5 of 5", "Two-factor authentication is on.")
	tt.enter()
	tt.snap("19-security-on", "On since 2030-01-02 10:00 UTC", "10 of 10")

	// Sign out, then sign in with a TOTP code.
	tt.typeText("l")
	tt.snap("19a-logout-confirm", "Log out of", "y yes")
	tt.typeText("y")
	tt.snap("20-signed-out", "Signed out.")
	tt.typeText(testPassword)
	tt.enter()
	tt.snap("21-verify-totp", "Two-Factor Authentication", "expires in 5:00")
	tt.key(tea.KeyTab)
	tt.snap("22-verify-backup", "Backup code", "Use authenticator code instead")
	tt.key(tea.KeyTab)
	tt.waitFor("Use a backup code instead")
	clock.Advance(30 * time.Second) // the enable step's code is spent
	tt.typeText(totpCode(t, secret, clock))
	tt.enter()
	tt.waitFor("On since", "10 of 10")

	// Sign out, sign in with a backup code typed in lower case with spaces.
	tt.typeText("l")
	tt.waitFor("Log out of")
	tt.typeText("y")
	tt.waitFor("Signed out.")
	tt.typeText(testPassword)
	tt.enter()
	tt.waitFor("Two-Factor Authentication")
	tt.key(tea.KeyTab)
	tt.typeText(strings.ToLower(strings.Replace(backup[0], "-", " ", 1)))
	tt.enter()
	tt.snap("23-security-after-backup-code", "Signed in with a backup code. 9 backup codes left.")

	// Lockout at sign-in: five wrong codes; it outlives the pending sign-in.
	tt.typeText("l")
	tt.waitFor("Log out of")
	tt.typeText("y")
	tt.waitFor("Signed out.")
	tt.typeText(testPassword)
	tt.enter()
	tt.waitFor("expires in 5:00")
	// Five wrong codes are refused one by one; the sixth try meets the lock.
	for i := 0; i < 6; i++ {
		code := wrongCode(t, secret, clock)
		tt.typeText(code)
		tt.waitFor("› " + strings.Join(strings.Split(code, ""), " "))
		tt.enter()
		if i < 5 {
			tt.waitFor("Wrong code", "› _ _ _ _ _ _") // answered, field empty again
		}
	}
	// The lock (15 min) outlasts the sign-in (5 min): no countdown beside
	// it, but when to sign in again.
	tt.snap("24-verify-lockout", "code checks are locked until", "Press esc and sign in again")
	clock.Advance(32 * time.Second)
	tt.snap("25-verify-lockout-countdown", "code checks are locked until", "expires in 4:28")
	clock.Advance(5 * time.Minute)
	tt.snap("26-sign-in-expired", "Your sign-in expired after 5 min")
	clock.Advance(10 * time.Minute) // the lock (15 min) is over
	tt.typeText(testPassword)
	tt.enter()
	tt.waitFor("expires in 5:00")
	tt.typeText(totpCode(t, secret, clock))
	tt.enter()
	tt.waitFor("On since", "9 of 10")

	// Regenerate.
	tt.typeText("r")
	tt.snap("27-regenerate", "Regenerate backup codes", "Enter the current 6-digit code")
	clock.Advance(30 * time.Second)
	tt.typeText(totpCode(t, secret, clock))
	tt.enter()
	s = tt.waitFor("Every earlier code stopped working")
	var fresh []string
	for _, m := range codeCell.FindAllStringSubmatch(s, -1) {
		fresh = append(fresh, m[1])
		tt.mask(m[1])
	}
	if len(fresh) < 8 || fresh[0] == backup[0] {
		t.Fatalf("want a new set of backup codes, got %q", fresh)
	}
	tt.snap("28-regenerate-codes", "I've saved these codes")
	tt.enter()
	tt.waitFor("Continue anyway?")
	tt.typeText("y")
	tt.waitFor("10 of 10", "New backup codes are active")

	// Disable: the warning, then an old backup code (refused), then a TOTP code.
	tt.typeText("x")
	tt.snap("29-disable-warning", "deletes your authenticator secret")
	tt.enter()
	tt.snap("30-disable-code", "To confirm, enter the 6-digit code")
	tt.key(tea.KeyTab)
	tt.typeText(backup[1])
	tt.enter()
	tt.snap("31-disable-old-backup-code", "That backup code was not accepted")
	tt.key(tea.KeyTab)
	clock.Advance(30 * time.Second)
	tt.typeText(totpCode(t, secret, clock))
	tt.enter()
	tt.snap("32-security-disabled", "Two-factor authentication is off. Your secret and backup codes were deleted.", "Off")
}

// manualKey reads the secret off the manual entry key view: two lines of
// four groups of four.
func manualKey(t *testing.T, screen string) (secret string, lines [2]string) {
	t.Helper()
	groups := secretLine.FindAllStringSubmatch(screen, -1)
	if len(groups) != 2 {
		t.Fatalf("manual entry key: want 2 lines of 4 groups, got %q in\n%s", groups, screen)
	}
	lines = [2]string{groups[0][1], groups[1][1]}
	return strings.ReplaceAll(lines[0]+lines[1], " ", ""), lines
}

// wrongCode returns a 6-digit code that is not valid around the fake time.
func wrongCode(t *testing.T, secret string, clock *fakeClock) string {
	t.Helper()
	valid := map[string]bool{}
	for _, d := range []time.Duration{-30 * time.Second, 0, 30 * time.Second} {
		valid[servertest.CodeAt(t, secret, clock.Now().Add(d))] = true
	}
	for _, c := range []string{"000000", "111111", "222222", "333333"} {
		if !valid[c] {
			return c
		}
	}
	t.Fatal("no wrong code found")
	return ""
}

// checkBackupFile asserts the downloaded file is private and holds every code.
func checkBackupFile(t *testing.T, path string, codes []string) {
	t.Helper()
	fi, err := os.Lstat(path)
	if err != nil {
		t.Fatalf("backup file: %v", err)
	}
	if fi.Mode().Perm() != 0o600 || !fi.Mode().IsRegular() {
		t.Errorf("backup file mode = %v, want regular 0600", fi.Mode())
	}
	body, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range codes {
		if !strings.Contains(string(body), c) && !strings.Contains(string(body), strings.ReplaceAll(c, "-", "")) {
			t.Errorf("backup file lacks code %s", c)
		}
	}
}
