package screens

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/twofa/twofa/client"
	"github.com/twofa/twofa/internal/config"
	"github.com/twofa/twofa/internal/harness/fakecopilot"
	"github.com/twofa/twofa/keyring"
	"github.com/twofa/twofa/session"
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

// newEnv is an Env for a client of the fake, keeping sessions in memory
// and remembering nothing.
func (c *copilot) newEnv(t *testing.T) *Env {
	t.Helper()
	return newTestEnv(t, c.url, keyring.NewMemory(keyring.BackendMemory), nil)
}

// run starts the TUI on env at 80x24, the fake's port masked in goldens.
func (c *copilot) run(t *testing.T, env *Env) *term {
	t.Helper()
	return c.runSized(t, env, goldenSize{80, 24})
}

// runSized is run in a terminal of size z.
func (c *copilot) runSized(t *testing.T, env *Env, z goldenSize) *term {
	t.Helper()
	tt := startTermSized(t, New(env, testOptions(c.clock.Now)), z)
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

// enrolledCoPilot starts the fake on a new clock with testUser, an
// analyst, enrolled as CoPilot's web app would, and the TUI against it;
// secret and backup are as CoPilot issued them.
func enrolledCoPilot(t *testing.T) (cp *copilot, tt *term, secret string, backup []string) {
	t.Helper()
	cp = startCoPilot(t, newFakeClock(), fakecopilot.RoleAnalyst, nil)
	secret, backup = cp.enrol(t)
	return cp, cp.run(t, cp.newEnv(t)), secret, backup
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
// the code kept in the field, selected for retyping, checking that exactly one request carried it.
func (tt *term) backupRefusedOnce(c *copilot, path, code string) {
	tt.t.Helper()
	before := c.fake.Requests(path)
	tt.typeText(code)
	tt.waitFor("› " + strings.ToUpper(code))
	tt.enter()
	tt.waitUntilRequests(c, path, before+1)
	tt.waitFor("That backup code was not accepted", "› "+strings.ToUpper(code)+"  type to replace")
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
	tt.waitFor("Log out of")
	tt.typeText("y")
	// The session was issued at testStart and lives 24 h.
	tt.snap("signed-out-unrevoked", "This server cannot end sessions: the session stays valid", "there until 2030-01-03 10:00 UTC.")
	if _, err := env.Sessions.Load(testUser); !errors.Is(err, session.ErrNotStored) {
		t.Errorf("the session is still stored after logging out: %v", err)
	}
	if app := tt.finalApp(); app.cur.SignedIn() {
		t.Error("token still held after logging out")
	}
}

// TestCoPilotSignInErrors: at the second factor, a reused code, a wrong
// code and a wrong backup code each keep the person on the prompt with
// their own sentence; the sixth try meets CoPilot's 401 lockout sentence,
// shown as the same live countdown the reference server's 429 gets.
func TestCoPilotSignInErrors(t *testing.T) {
	cp, tt, secret, backup := enrolledCoPilot(t)
	clock := cp.clock
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
	tt.snap("copilot-verify-lockout", "code checks are locked until", "Press esc and sign in again")
	clock.Advance(32 * time.Second)
	s := tt.waitFor("code checks are locked until", "expires in 4:28", "Two-Factor Authentication")
	if strings.Contains(s, "Your sign-in expired") {
		t.Fatalf("the lockout sent the person back to Sign in:\n%s", s)
	}
}

// TestCoPilotCustomerUser: a customer_user account is refused at
// /api/auth/token; twofa signs it in at the Customer Portal's route with
// the same form, remembers that route, and goes there directly next time —
// with 2FA too.
func TestCoPilotCustomerUser(t *testing.T) {
	clock := newFakeClock()
	cp := startCoPilot(t, clock, fakecopilot.RoleCustomerUser, nil)
	remembered, err := config.Open(filepath.Join(t.TempDir(), "config.json"))
	if err != nil {
		t.Fatal(err)
	}
	env := newTestEnv(t, cp.url, keyring.NewMemory(keyring.BackendMemory), remembered)
	tt := cp.run(t, env)
	tt.signIn(testUser, testPassword)
	tt.waitFor("Two-factor authentication   Off", "· "+testUser)
	if p := remembered.Route(env.Server(), testUser); p != string(client.PortalCustomer) {
		t.Fatalf("remembered route %q, want the Customer Portal's", p)
	}
	secret, _ := cp.enrol(t)
	tt.typeText("l")
	tt.waitFor("Log out of")
	tt.typeText("y")
	tt.waitFor("Signed out here.")
	main := cp.fake.Requests("/api/auth/token")
	signInWith2FA(t, tt, clock, secret)
	if n := cp.fake.Requests("/api/auth/token"); n != main {
		t.Fatalf("the remembered sign-in asked /api/auth/token %d more times", n-main)
	}
}
