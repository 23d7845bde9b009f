package e2e

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/twofa/twofa/internal/harness/fakecopilot"
	"github.com/twofa/twofa/internal/harness/testclock"
)

// These tests drive the real binary in an 80x24 pseudo-terminal against the
// CoPilot-shaped server (internal/harness/fakecopilot), run in this process
// on 127.0.0.1: what a stock CoPilot answers, not what twofa's own server
// does. The fake's clock is the test's (it moves only when the test says),
// so a TOTP window never rolls over under a slow run; twofa itself keeps the
// wall clock, as it would against a real server.

// copilotRun is one test's fake CoPilot, on a free loopback port on the
// test's clock, with one account, and the client environment to run twofa in.
type copilotRun struct {
	bin, url, user, password string
	clock                    *testclock.Clock
	fake                     *fakecopilot.Server
	env                      []string
	home                     string
}

// newCoPilotRun builds twofa, starts the fake with user in role, and
// removes user's stored session when the test ends.
func newCoPilotRun(t *testing.T, user string, role fakecopilot.Role) *copilotRun {
	t.Helper()
	clock := testclock.New(time.Now())
	r := &copilotRun{bin: buildBinary(t), user: user, password: "pw-" + randomText(t, 12), clock: clock, fake: fakecopilot.New(clock.Now)}
	r.fake.AddUser(user, r.password, role)
	srv := httptest.NewServer(r.fake)
	t.Cleanup(srv.Close)
	r.url = srv.URL
	r.env, r.home = clientEnv(t)
	sessionStore(t, r.url, user)
	return r
}

// terminal starts twofa against the fake.
func (r *copilotRun) terminal(t *testing.T) *terminal {
	t.Helper()
	return startTerminal(t, r.bin, darkTerminal, []string{"--server", r.url}, r.env)
}

// enrol turns 2FA on as CoPilot's web app would and returns the secret and
// the TOTP step that enabled it.
func (r *copilotRun) enrol(t *testing.T) (string, int64) {
	t.Helper()
	secret, _, err := r.fake.Enroll(r.user)
	if err != nil {
		t.Fatal(err)
	}
	return secret, stepAt(r.clock.Now())
}

var (
	copilotCodeRE = regexp.MustCompile(`(\d+)\. ([A-Z0-9]{10})(?:\s|$)`)
	copilotOnRE   = regexp.MustCompile(`Two-factor authentication\s+On\n`)
	unrevokedRE   = regexp.MustCompile(`This server cannot end sessions: the session stays valid\s+there until (\d{4}-\d\d-\d\d \d\d:\d\d) UTC\.`)
)

// nextWindow moves the fake's clock into the 30-second window after step
// last and returns that window's step.
func (r *copilotRun) nextWindow(last int64) int64 {
	r.clock.Advance(time.Duration(last+1-stepAt(r.clock.Now())) * totpPeriod * time.Second)
	return stepAt(r.clock.Now())
}

// passwordSignIn signs in from Sign in, typing the username only when the
// screen does not already hold it.
func passwordSignIn(t *testing.T, term *terminal, user, password string) {
	t.Helper()
	s := term.WaitFor(wait, "Sign in", "Username", "Password")
	if !usernameRE(user).MatchString(s) {
		term.Send(user)
		term.WaitFor(wait, user)
		term.Send(keyEnter)
	}
	signInWithPassword(term, password)
}

// TestEndToEndCoPilotLockout: five wrong codes at sign-in each leave the
// person on the code prompt with "Wrong code"; the sixth try meets CoPilot's
// 401 lockout sentence, shown as the time it ends (it outlasts the pending
// sign-in), and input stays off.
func TestEndToEndCoPilotLockout(t *testing.T) {
	r := newCoPilotRun(t, "bob", fakecopilot.RoleAnalyst)
	fake := r.fake
	secret, enrolStep := r.enrol(t)
	term := r.terminal(t)

	passwordSignIn(t, term, r.user, r.password)
	term.WaitFor(wait, "Two-Factor Authentication", "Enter the 6-digit code from your authenticator app.")
	for i := 1; i <= 5; i++ {
		before := fake.Requests("/api/auth/2fa/validate")
		typeTOTP(term, wrongCode(t, secret, r.clock.Now(), i))
		term.Send(keyEnter)
		screen := term.WaitUntil("wrong code "+strconv.Itoa(i)+" refused", wait, func(s string) bool {
			return strings.Contains(s, "✗ Wrong code.") && strings.Contains(s, "› _ _ _ _ _ _")
		})
		if strings.Contains(screen, "Sign in\n") || strings.Contains(screen, "sign-in expired") {
			term.Dump("after a wrong code")
			t.Fatalf("wrong code %d sent the person back to Sign in", i)
		}
		if n := fake.Requests("/api/auth/2fa/validate") - before; n != 1 {
			t.Fatalf("wrong code %d reached the server %d times, want once", i, n)
		}
	}
	// The sixth try, a right code, meets the lock.
	typeTOTP(term, codeAt(t, secret, enrolStep+1))
	term.Send(keyEnter)
	// The lock (about 15 min) outlasts the pending sign-in (5 min): the
	// prompt says until when, and to sign in again after it.
	screen := term.WaitUntil("the lockout", wait, func(s string) bool { return lockUntilRE.MatchString(s) })
	expectLockUntil(t, term, screen)
	before := fake.Requests("/api/auth/2fa/validate")
	term.Send("123456")
	term.Send(keyEnter)
	time.Sleep(300 * time.Millisecond) // give a wrongly taken keystroke time to show
	screen = term.WaitUntil("the lockout to hold", wait, func(s string) bool { return lockUntilRE.MatchString(s) })
	if strings.Contains(screen, "1 2 3 4 5 6") || fake.Requests("/api/auth/2fa/validate") != before {
		term.Dump("during the lockout")
		t.Fatalf("a code was taken or sent while locked out")
	}
	quit(t, term)
}

// TestEndToEndCoPilotReusedCode: right after enabling, CoPilot refuses a
// sign-in with a code of the same 30-second window; twofa says to wait for
// the app's next code, keeps the prompt, and the next code signs in. Log
// out then says the session stays valid at CoPilot until the token's exp.
func TestEndToEndCoPilotReusedCode(t *testing.T) {
	r := newCoPilotRun(t, "dave", fakecopilot.RoleAnalyst)
	secret, enrolStep := r.enrol(t)
	term := r.terminal(t)

	passwordSignIn(t, term, r.user, r.password)
	term.WaitFor(wait, "Two-Factor Authentication", "Enter the 6-digit code from your authenticator app.")
	typeTOTP(term, codeAt(t, secret, enrolStep))
	term.Send(keyEnter)
	term.WaitUntil("the reused code refused", wait, func(s string) bool {
		return strings.Contains(s, "That code was already used. Wait for your app's next code") &&
			strings.Contains(s, "› _ _ _ _ _ _") && strings.Contains(s, "Two-Factor Authentication")
	})
	// CoPilot takes no second success in that window, whatever step the
	// code is for: the app's next code works once the window has passed.
	typeTOTP(term, codeAt(t, secret, r.nextWindow(enrolStep)))
	term.Send(keyEnter)
	term.WaitUntil("Security with 2FA on", wait, func(s string) bool {
		return copilotOnRE.MatchString(s) && strings.Contains(s, "· "+r.user) && !strings.Contains(s, "Backup codes left")
	})

	signedIn := r.clock.Now().UTC()
	term.Send("l")
	term.WaitFor(wait, "Log out of")
	term.Send("y")
	screen := term.WaitUntil("the logout notice", wait, func(s string) bool { return unrevokedRE.MatchString(s) })
	until, err := time.Parse("2006-01-02 15:04", unrevokedRE.FindStringSubmatch(screen)[1])
	if err != nil {
		t.Fatal(err)
	}
	if d := until.Sub(signedIn.Add(24 * time.Hour)); d < -2*time.Minute || d > time.Minute {
		term.Dump("logout")
		t.Fatalf("the session is said to stay valid until %s, want about 24 h after signing in (%s)", until, signedIn)
	}
	quit(t, term)
}

// TestEndToEndCoPilotCustomerUser: a customer_user account signs in (CoPilot
// refuses it at /api/auth/token; twofa retries at the Customer Portal's
// route); the route is remembered, so the next run signs in there directly.
func TestEndToEndCoPilotCustomerUser(t *testing.T) {
	r := newCoPilotRun(t, "carol", fakecopilot.RoleCustomerUser)
	fake, user := r.fake, r.user
	term := r.terminal(t)
	firstSignIn(t, term, r.url, user, r.password)
	if fake.Requests("/api/auth/token/customer-portal") != 1 {
		t.Fatalf("the Customer Portal route saw %d sign-ins, want 1", fake.Requests("/api/auth/token/customer-portal"))
	}
	cfg := readConfig(t, r.env)
	if cfg.SignInRoute[r.url][user] != "customer-portal" {
		t.Fatalf("config does not remember the Customer Portal route for %s: %+v", user, cfg)
	}
	term.Send("l")
	term.WaitFor(wait, "Log out of")
	term.Send("y")
	term.WaitFor(wait, "Signed out here.")
	quit(t, term)

	main := fake.Requests("/api/auth/token")
	term = r.terminal(t)
	passwordSignIn(t, term, user, r.password)
	term.WaitUntil("Security for the customer user", wait, func(s string) bool {
		return twoFAOffRE.MatchString(s) && strings.Contains(s, "· "+user)
	})
	if n := fake.Requests("/api/auth/token") - main; n != 0 {
		t.Fatalf("the remembered sign-in asked /api/auth/token %d times, want none", n)
	}
	quit(t, term)
}

// savedConfig is the part of config.json these tests read.
type savedConfig struct {
	SignInRoute map[string]map[string]string `json:"sign_in_route"`
}

// readConfig reads the TUI's config file from the client environment.
func readConfig(t *testing.T, env []string) savedConfig {
	t.Helper()
	var dir string
	for _, kv := range env {
		if v, ok := strings.CutPrefix(kv, "XDG_CONFIG_HOME="); ok {
			dir = v
		}
	}
	data, err := os.ReadFile(filepath.Join(dir, "twofa", "config.json"))
	if err != nil {
		t.Fatalf("config file: %v", err)
	}
	var cfg savedConfig
	if err := json.Unmarshal(data, &cfg); err != nil {
		t.Fatalf("config file: %v\n%s", err, data)
	}
	return cfg
}

// TestEndToEndCoPilotEnable enables 2FA through the wizard against CoPilot
// (no password step: CoPilot asks for none), from the QR code on the screen;
// the backup codes are shown and saved exactly as CoPilot issued them, and a
// saved code typed as written is what CoPilot accepts.
func TestEndToEndCoPilotEnable(t *testing.T) {
	r := newCoPilotRun(t, "erin", fakecopilot.RoleAnalyst)
	user := r.user
	term := r.terminal(t)
	firstSignIn(t, term, r.url, user, r.password)

	term.Send("e")
	screen := term.WaitFor(wait, "Step 2 of 5", "Scan this QR code")
	if strings.Contains(screen, "Confirm it's you") {
		t.Fatal("the wizard asked for the password, which CoPilot never checks")
	}
	uri, _ := readQR(t, term)
	secret, issuer, account := parseOTPAuth(t, uri)
	if issuer != "CoPilot" || account != user {
		t.Fatalf("QR code names %s:%s, want CoPilot:%s", issuer, account, user)
	}
	term.Send(keyEnter)
	term.WaitFor(wait, "Step 3 of 5", "Enter the 6-digit code from your app")
	typeTOTP(term, codeAt(t, secret, stepAt(r.clock.Now())))
	term.Send(keyEnter)
	screen = term.WaitFor(wait, "Step 4 of 5", "I've saved these codes")
	issued := readCoPilotCodes(t, term, screen)
	if regexp.MustCompile(`\d\. [A-Z0-9]{5}-`).MatchString(screen) {
		term.Dump("backup codes")
		t.Fatal("a dash was added to codes CoPilot issued without one")
	}

	term.Send("d")
	term.WaitFor(wait, "Save to", "twofa-backup-codes-")
	term.Send(keyEnter)
	term.WaitFor(wait, "Saved to ~/twofa-backup-codes-", "readable only by")
	saved := savedCodes(t, r.home)
	if strings.Join(saved.codes, " ") != strings.Join(issued, " ") {
		t.Fatalf("the file holds %q, want exactly what was issued and shown: %q", saved.codes, issued)
	}
	if !strings.Contains(saved.text, "Type it exactly as written here") || strings.Contains(saved.text, "Dashes and spaces do not matter") {
		t.Fatalf("the file's typing advice is not true for CoPilot:\n%s", saved.text)
	}
	if status, err := fakecopilot.WebBackupSignIn(r.url, user, r.password, saved.codes[0]); err != nil || status != http.StatusOK {
		t.Fatalf("CoPilot refused the saved code typed as written: HTTP %d (%v)", status, err)
	}
	term.Send(keyEnter)
	term.WaitFor(wait, "Step 5 of 5", "Two-factor authentication is on.")
	term.Send(keyEnter)
	term.WaitUntil("Security with 2FA on", wait, func(s string) bool { return copilotOnRE.MatchString(s) })
	quit(t, term)
	expectNoCodesLeftOnScreen(t, term, issued)
}

// readCoPilotCodes reads CoPilot's numbered 10-character codes off the screen.
func readCoPilotCodes(t *testing.T, term *terminal, screen string) []string {
	t.Helper()
	byNumber := map[int]string{}
	for _, m := range copilotCodeRE.FindAllStringSubmatch(screen, -1) {
		n, _ := strconv.Atoi(m[1])
		byNumber[n] = m[2]
	}
	if len(byNumber) != fakecopilot.BackupCount {
		term.Dump("backup codes")
		t.Fatalf("read %d backup codes of 10 characters, want %d", len(byNumber), fakecopilot.BackupCount)
	}
	out := make([]string, len(byNumber))
	for i := range out {
		out[i] = byNumber[i+1]
	}
	return out
}

// codesFile is the one backup-codes file Download .txt wrote.
type codesFile struct {
	text  string
	codes []string
}

// savedCodes reads the numbered codes of the file in home, checking its mode.
func savedCodes(t *testing.T, home string) codesFile {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(home, "twofa-backup-codes-*.txt"))
	if err != nil || len(files) != 1 {
		t.Fatalf("want one twofa-backup-codes-*.txt, found %v (%v)", files, err)
	}
	fi, err := os.Stat(files[0])
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("%s: mode %v (%v), want 0600", files[0], fi.Mode().Perm(), err)
	}
	data, err := os.ReadFile(files[0])
	if err != nil {
		t.Fatal(err)
	}
	out := codesFile{text: string(data)}
	for _, m := range regexp.MustCompile(`(?m)^\d+\. (\S+)$`).FindAllStringSubmatch(out.text, -1) {
		out.codes = append(out.codes, m[1])
	}
	return out
}
