package screens

import (
	"context"
	"net/url"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/twofa/twofa/client"
	"github.com/twofa/twofa/internal/harness/fakecopilot"
	"github.com/twofa/twofa/keyring"
	"github.com/twofa/twofa/server"
	"github.com/twofa/twofa/server/servertest"
)

const (
	adminUser     = "root"
	adminPassword = "correct horse root"
	olgaPassword  = "correct horse olga"
)

// adminServer is a reference server on clock with testUser, the admin
// root and olga with 2FA on; it returns the server and olga's secret.
func adminServer(t *testing.T, clock *fakeClock) (*servertest.Server, string) {
	t.Helper()
	s := servertest.New(t, servertest.Options{Clock: clock})
	s.CreateUser(t, testUser, testPassword, "user")
	s.CreateUser(t, adminUser, adminPassword, "admin")
	s.CreateUser(t, "olga", olgaPassword, "user")
	ctx := context.Background()
	c, tokens := apiClient(t, s.URL)
	lr, err := c.Login(ctx, "olga", olgaPassword)
	if err != nil {
		t.Fatal(err)
	}
	tokens.Set(lr.AccessToken)
	setup, err := c.Setup(ctx, olgaPassword)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.VerifySetup(ctx, servertest.CodeAt(t, setup.Secret, clock.Now())); err != nil {
		t.Fatal(err)
	}
	clock.Advance(30 * time.Second)
	return s, setup.Secret
}

// apiClient is a client of url with its own token holder.
func apiClient(t *testing.T, url string) (*client.Client, *client.TokenHolder) {
	t.Helper()
	h := client.NewTokenHolder()
	c, err := client.New(client.Options{Server: url, Tokens: h, UserAgentVersion: "test"})
	if err != nil {
		t.Fatal(err)
	}
	return c, h
}

// lockOlga fails olga's second factor until she is locked out.
func lockOlga(t *testing.T, url string) {
	t.Helper()
	c, _ := apiClient(t, url)
	lr, err := c.Login(context.Background(), "olga", olgaPassword)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < server.MaxFailures; i++ {
		_, _ = c.ValidateTOTP(context.Background(), lr.AccessToken, "000000")
	}
}

// olgaSignsIn signs olga in with the code of secret now; requires2FA is what the password step said.
func olgaSignsIn(t *testing.T, url, secret string, clock *fakeClock) (requires2FA bool, err error) {
	t.Helper()
	c, _ := apiClient(t, url)
	lr, err := c.Login(context.Background(), "olga", olgaPassword)
	if err != nil || !lr.Requires2FA {
		return false, err
	}
	_, err = c.ValidateTOTP(context.Background(), lr.AccessToken, servertest.CodeAt(t, secret, clock.Now()))
	return true, err
}

// runApp starts the TUI at 80x24 on a fresh env of url, its port masked.
func runApp(t *testing.T, srvURL string, clock *fakeClock) *term {
	t.Helper()
	return runAppSized(t, srvURL, clock, goldenSize{80, 24})
}

// runAppSized is runApp in a terminal of size z.
func runAppSized(t *testing.T, srvURL string, clock *fakeClock, z goldenSize) *term {
	t.Helper()
	env := newTestEnv(t, srvURL, keyring.NewMemory(keyring.BackendMemory), nil)
	tt := startTermSized(t, New(env, testOptions(clock.Now)), z)
	u, _ := url.Parse(srvURL)
	tt.mask(u.Port())
	return tt
}

// TestUsersTabUnlock is the done-when of issue 15: an admin finds a locked
// user by typing part of the name, unlocks them, and that user signs in
// with the next code; then the admin resets her 2FA and she signs in
// with her password alone.
func TestUsersTabUnlock(t *testing.T) { eachSize(t, usersTabUnlock) }

// usersTabUnlock is TestUsersTabUnlock in a terminal of size z.
func usersTabUnlock(t *testing.T, z goldenSize) {
	clock := newFakeClock()
	s, secret := adminServer(t, clock)
	lockOlga(t, s.URL)
	tt := runAppSized(t, s.URL, clock, z)
	tt.signIn(adminUser, adminPassword)
	tt.waitFor("Users", "Two-factor authentication   Off")
	tt.key(tea.KeyTab)
	tt.snap("01-users-list", "[Users]", "3 users", "locked")
	tt.typeText("LG")
	tt.snap("02-users-filtered", "1 of 3 users", "› olga")
	tt.enter()
	tt.snap("03-user-detail", "olga  id 3", "locked until", "Recent security events", "u     Unlock")
	tt.typeText("u")
	tt.snap("04-confirm-unlock", "Unlock olga?", "y yes  n no")
	tt.typeText("y")
	tt.snap("05-unlocked", "olga was unlocked", "admin_unlock")

	clock.Advance(30 * time.Second)
	if asked, err := olgaSignsIn(t, s.URL, secret, clock); !asked || err != nil {
		t.Fatalf("olga's sign-in after the unlock: asked for a code %v, %v", asked, err)
	}

	tt.typeText("r")
	tt.waitFor("Reset two-factor authentication of olga?")
	tt.typeText("n")
	tt.waitFor("r     Reset 2FA")
	tt.typeText("r")
	tt.waitFor("Reset two-factor authentication of olga?")
	tt.typeText("y")
	tt.snap("06-reset", "Two-factor authentication of olga was reset", "Two-factor auth     Off")
	if asked, err := olgaSignsIn(t, s.URL, secret, clock); asked || err != nil {
		t.Fatalf("olga's sign-in after the reset: asked for a code %v, %v; want the password alone", asked, err)
	}
	tt.key(tea.KeyEscape)
	tt.waitFor("Find  › LG")
	tt.key(tea.KeyEscape)
	tt.waitFor("3 users")
}

// TestUsersTabNotForUsers: a person who is not an admin never sees the tab.
func TestUsersTabNotForUsers(t *testing.T) {
	clock := newFakeClock()
	s, _ := adminServer(t, clock)
	tt := runApp(t, s.URL, clock)
	tt.signIn(testUser, testPassword)
	for _, want := range []string{"[Security]", "[Profile]", "[Security]"} {
		screen := tt.waitFor(want)
		if strings.Contains(screen, "Users") {
			t.Fatalf("a user sees a Users tab:\n%s", screen)
		}
		tt.key(tea.KeyTab)
	}
}

// TestUsersTabCoPilot: against CoPilot's routes the list shows what its
// /api/auth/users says (no 2FA state), the detail offers reset and the
// temporary password but no unlock and no events; an analyst sees no tab.
func TestUsersTabCoPilot(t *testing.T) { eachSize(t, usersTabCoPilot) }

// usersTabCoPilot is TestUsersTabCoPilot in a terminal of size z.
func usersTabCoPilot(t *testing.T, z goldenSize) {
	clock := newFakeClock()
	c := startCoPilot(t, clock, fakecopilot.RoleAnalyst, nil)
	c.fake.AddUser(adminUser, adminPassword, fakecopilot.RoleAdmin)
	c.fake.AddUser("olga", olgaPassword, fakecopilot.RoleCustomerUser)
	c.fake.SetEmail("olga", "olga@example.com")

	tt := c.runSized(t, c.newEnv(t), z)
	tt.signIn(adminUser, adminPassword)
	tt.waitFor("Users")
	tt.key(tea.KeyTab)
	tt.snap("01-copilot-users", "[Users]", "3 users")
	tt.typeText("olg")
	tt.enter()
	screen := tt.snap("02-copilot-detail", "olga  id 3", "olga@example.com", "t     Send temporary password")
	for _, absent := range []string{"Unlock", "Recent security events", "Two-factor auth "} {
		if strings.Contains(screen, absent) {
			t.Errorf("CoPilot has no %q, but the detail shows it:\n%s", absent, screen)
		}
	}
	tt.typeText("u")
	tt.typeText("t")
	tt.waitFor("Send olga a temporary password?")
	tt.typeText("y")
	tt.waitFor("A temporary password was sent to olga.")
	if n := c.fake.TempPasswordsSent("olga"); n != 1 {
		t.Fatalf("temporary passwords sent: %d, want 1", n)
	}
	if n := c.fake.Requests("/api/auth/security/users/3/unlock"); n != 0 {
		t.Fatalf("unlock was asked of CoPilot %d times", n)
	}

	analyst := c.run(t, c.newEnv(t))
	analyst.signIn(testUser, testPassword)
	if s := analyst.waitFor("[Security]"); strings.Contains(s, "Users") {
		t.Fatalf("an analyst sees a Users tab:\n%s", s)
	}
}
