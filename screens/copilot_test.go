package screens

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/twofa/twofa/client"
	"github.com/twofa/twofa/internal/harness/fakecopilot"
	"github.com/twofa/twofa/keyring"
)

// These tests drive the real TUI against the CoPilot-shaped server
// (internal/harness/fakecopilot) on the test's clock: every refused code on
// every code screen, the lockout counting down from CoPilot's sentence, a
// customer_user account, backup codes exactly as CoPilot issued them, and
// a logout the server cannot honour.

// copilot is the fake CoPilot behind httptest.
type copilot struct {
	fake  *fakecopilot.Server
	url   string
	clock *fakeClock
}

// startCoPilot serves the fake on clock, through wrap when it is given,
// with testUser in role.
func startCoPilot(t *testing.T, clock *fakeClock, role fakecopilot.Role, wrap func(http.Handler) http.Handler) *copilot {
	t.Helper()
	fake := fakecopilot.New(clock.Now)
	fake.AddUser(testUser, testPassword, role)
	var h http.Handler = fake
	if wrap != nil {
		h = wrap(fake)
	}
	ts := httptest.NewServer(h)
	t.Cleanup(ts.Close)
	return &copilot{fake: fake, url: ts.URL, clock: clock}
}

// newEnv is an Env for a client of the fake, keeping sessions in memory.
func (c *copilot) newEnv(t *testing.T) *Env {
	t.Helper()
	return newTestEnv(t, c.url, keyring.NewMemory(keyring.BackendMemory))
}

// run starts the TUI on env at 80x24, the fake's port masked in goldens.
func (c *copilot) run(t *testing.T, env *Env) *term {
	t.Helper()
	tt := startTerm(t, New(env, Options{Dark: true, Now: c.clock.Now}))
	u, _ := url.Parse(c.url)
	tt.mask(u.Port())
	return tt
}

// enrol turns 2FA on for testUser as CoPilot's web app would and returns
// the secret and the backup codes as issued.
func (c *copilot) enrol(t *testing.T) (string, []string) {
	t.Helper()
	secret, backup, err := c.fake.Enroll(testUser)
	if err != nil {
		t.Fatal(err)
	}
	return secret, backup
}

// signIn types username (unless Sign in kept it) and password on Sign in.
func (tt *term) signIn(user, pass string) {
	tt.t.Helper()
	s := tt.waitFor("Sign in", "Username")
	if !strings.Contains(s, "Username    "+user+"\n") {
		tt.typeText(user)
		tt.enter()
	}
	tt.waitFor("Password  ›")
	tt.typeText(pass)
	tt.enter()
}

// typeCode types a 6-digit code, waits until the field shows it, and submits.
func (tt *term) typeCode(code string) {
	tt.t.Helper()
	tt.typeText(code)
	tt.waitFor("› " + strings.Join(strings.Split(code, ""), " "))
	tt.enter()
}

// refusedOnce submits a code and waits for its refusal with the field
// emptied, checking that exactly one request carried it.
func (tt *term) refusedOnce(c *copilot, path, code, want string) string {
	tt.t.Helper()
	before := c.fake.Requests(path)
	tt.typeCode(code)
	s := tt.waitFor(want, "› _ _ _ _ _ _")
	if n := c.fake.Requests(path) - before; n != 1 {
		tt.t.Fatalf("%q reached %s %d times, want once", code, path, n)
	}
	return s
}

// backupRefusedOnce submits a backup code and waits for its refusal with
// the field emptied, checking that exactly one request carried it.
func (tt *term) backupRefusedOnce(c *copilot, path, code string) {
	tt.t.Helper()
	before := c.fake.Requests(path)
	tt.typeText(code)
	tt.waitFor("› " + strings.ToUpper(code) + "▏")
	tt.enter()
	tt.waitUntilRequests(c, path, before+1)
	tt.waitFor("That backup code was not accepted", "› ▏XXXXX-XXXXX")
}

var copilotCodeCell = regexp.MustCompile(`(\d+)\. ([A-Z0-9]{10})(?:\s|$)`)

// issuedCodes reads the numbered backup codes off the screen, in their order.
func issuedCodes(t *testing.T, screen string) []string {
	t.Helper()
	byNumber := map[string]string{}
	for _, m := range copilotCodeCell.FindAllStringSubmatch(screen, -1) {
		byNumber[m[1]] = m[2]
	}
	out := make([]string, len(byNumber))
	for i := range out {
		c, ok := byNumber[strconv.Itoa(i+1)]
		if !ok {
			t.Fatalf("backup code %d missing from the numbered list:\n%s", i+1, screen)
		}
		out[i] = c
	}
	return out
}

// TestCoPilotWithoutExtensions: without /me the Security tab shows what it
// knows, the wizard skips step 1 (straight to "Step 2 of 5") and sends no
// password, and logging out says the session stays valid at the server
// until the JWT's exp, while forgetting it here.
func TestCoPilotWithoutExtensions(t *testing.T) {
	clock := newFakeClock()
	var mu sync.Mutex
	var setupBodies []string
	cp := startCoPilot(t, clock, fakecopilot.RoleAnalyst, func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path == "/api/auth/2fa/setup" {
				b, _ := io.ReadAll(r.Body)
				mu.Lock()
				setupBodies = append(setupBodies, string(b))
				mu.Unlock()
				r.Body = io.NopCloser(bytes.NewReader(b))
			}
			next.ServeHTTP(w, r)
		})
	})
	env := cp.newEnv(t)
	tt := cp.run(t, env)
	tt.signIn(testUser, testPassword)
	s := tt.waitFor("Two-factor authentication   Off")
	if strings.Contains(s, "Backup codes left") {
		t.Errorf("backup-code count shown without /me:\n%s", s)
	}
	tt.key(tea.KeyShiftTab)
	tt.waitFor("This server does not report account details.")
	tt.key(tea.KeyTab)
	tt.typeText("e")
	s = tt.waitFor("Step 2 of 5", "Scan this QR code", "CoPilot")
	if strings.Contains(s, "Step 1 of 5") {
		t.Errorf("password step shown:\n%s", s)
	}
	mu.Lock()
	for _, b := range setupBodies {
		var in map[string]string
		if json.Unmarshal([]byte(b), &in) == nil && in["password"] != "" {
			t.Errorf("the wizard sent a password although the server asks for none")
		}
	}
	mu.Unlock()
	tt.key(tea.KeyEscape)
	tt.waitFor("Two-factor authentication was not enabled.")
	tt.typeText("l")
	// The session was issued at testStart and lives 24 h.
	tt.snap("signed-out-unrevoked", "This server cannot end sessions: the session stays valid", "there until 3 Jan 2030 10:00 UTC.")
	if env.Tokens.Token() != "" {
		t.Error("token still held after logging out")
	}
}

// TestCoPilotSignInErrors: at the second factor, a reused code, a wrong
// code and a wrong backup code each keep the person on the prompt with
// their own sentence; the sixth try meets CoPilot's 401 lockout sentence,
// shown as the same live countdown the reference server's 429 gets.
func TestCoPilotSignInErrors(t *testing.T) {
	clock := newFakeClock()
	cp := startCoPilot(t, clock, fakecopilot.RoleAnalyst, nil)
	secret, backup := cp.enrol(t)
	tt := cp.run(t, cp.newEnv(t))
	tt.signIn(testUser, testPassword)
	tt.waitFor("Two-Factor Authentication", "expires in 5:00")

	const validate = "/api/auth/2fa/validate"
	// Enabling spent this 30-second window: CoPilot says "already used".
	tt.refusedOnce(cp, validate, totpCode(t, secret, clock), "That code was already used. Wait for your app's next code (in about 25 s).")
	tt.snap("copilot-verify-reused", "already used")
	tt.refusedOnce(cp, validate, wrongCode(t, secret, clock), "✗ Wrong code. Type the 6 digits your app shows now.")
	tt.key(tea.KeyTab)
	tt.waitFor("Enter one of your backup codes.")
	wrongBackup := "ZZZZZZZZZZ"
	if backup[0] == wrongBackup {
		wrongBackup = "YYYYYYYYYY"
	}
	tt.backupRefusedOnce(cp, validate, wrongBackup)
	tt.key(tea.KeyTab)
	tt.waitFor("Enter the 6-digit code from your authenticator app.")
	for i := 0; i < 2; i++ {
		s := tt.refusedOnce(cp, validate, wrongCode(t, secret, clock), "✗ Wrong code.")
		if strings.Contains(s, "Sign in\n") || strings.Contains(s, "sign-in expired") {
			t.Fatalf("a refused code left the prompt:\n%s", s)
		}
	}
	// Five failures: even the right code now meets the lock.
	tt.typeCode(totpCode(t, secret, clock))
	tt.snap("copilot-verify-lockout", "Too many failed attempts — try again in 15:00")
	clock.Advance(32 * time.Second)
	s := tt.waitFor("try again in 14:28", "expires in 4:28", "Two-Factor Authentication")
	if strings.Contains(s, "Your sign-in expired") {
		t.Fatalf("the lockout sent the person back to Sign in:\n%s", s)
	}
}

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

	const verify = "/api/auth/2fa/verify-setup"
	for i := 0; i < 5; i++ {
		tt.refusedOnce(cp, verify, wrongCode(t, secret, clock), "✗ Wrong code. Type the 6 digits your app shows now.")
	}
	tt.typeCode(totpCode(t, secret, clock))
	tt.waitFor("Step 3 of 5", "Too many failed attempts — try again in 15:00")
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

// TestCoPilotRegenerate: a wrong code is "Wrong code"; CoPilot's 400
// lockout counts down on this screen too; the new codes are shown exactly
// as issued.
func TestCoPilotRegenerate(t *testing.T) {
	clock := newFakeClock()
	cp := startCoPilot(t, clock, fakecopilot.RoleAnalyst, nil)
	secret, _ := cp.enrol(t)
	tt := cp.run(t, cp.newEnv(t))
	signInWith2FA(t, tt, clock, secret)
	tt.typeText("r")
	tt.waitFor("Enter the current 6-digit code")
	const regen = "/api/auth/2fa/backup-codes/regenerate"
	for i := 0; i < 5; i++ {
		tt.refusedOnce(cp, regen, wrongCode(t, secret, clock), "✗ Wrong code. Type the 6 digits your app shows now.")
	}
	tt.typeCode(totpCode(t, secret, clock))
	tt.waitFor("Regenerate backup codes", "Too many failed attempts — try again in 15:00")
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
	clock := newFakeClock()
	cp := startCoPilot(t, clock, fakecopilot.RoleAnalyst, nil)
	secret, backup := cp.enrol(t)
	tt := cp.run(t, cp.newEnv(t))
	signInWith2FA(t, tt, clock, secret)
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

// TestCoPilotCustomerUser: a customer_user account is refused at
// /api/auth/token; twofa signs it in at the Customer Portal's route with
// the same form, remembers that route, and goes there directly next time —
// with 2FA too.
func TestCoPilotCustomerUser(t *testing.T) {
	clock := newFakeClock()
	cp := startCoPilot(t, clock, fakecopilot.RoleCustomerUser, nil)
	env := cp.newEnv(t)
	var mu sync.Mutex
	remembered := map[string]client.Portal{}
	env.Remember = func(user string, p client.Portal) error {
		mu.Lock()
		defer mu.Unlock()
		remembered[user] = p
		return nil
	}
	env.Portal = func(user string) client.Portal {
		mu.Lock()
		defer mu.Unlock()
		return remembered[user]
	}
	tt := cp.run(t, env)
	tt.signIn(testUser, testPassword)
	tt.waitFor("Two-factor authentication   Off", "· "+testUser)
	if p := env.Portal(testUser); p != client.PortalCustomer {
		t.Fatalf("remembered route %q, want the Customer Portal's", p)
	}
	secret, _ := cp.enrol(t)
	tt.typeText("l")
	tt.waitFor("Signed out here.")
	main := cp.fake.Requests("/api/auth/token")
	signInWith2FA(t, tt, clock, secret)
	if n := cp.fake.Requests("/api/auth/token"); n != main {
		t.Fatalf("the remembered sign-in asked /api/auth/token %d more times", n-main)
	}
}
