package session_test

import (
	"context"
	"errors"
	"fmt"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/twofa/twofa/client"
	"github.com/twofa/twofa/internal/config"
	"github.com/twofa/twofa/internal/harness/fakecopilot"
	"github.com/twofa/twofa/internal/harness/testclock"
	"github.com/twofa/twofa/internal/wire"
	"github.com/twofa/twofa/keyring"
	"github.com/twofa/twofa/server/servertest"
	"github.com/twofa/twofa/session"
)

var ctx = context.Background()

// copilotStart is the fake CoPilot's clock: whole minutes, so expiries read exactly.
var copilotStart = time.Date(2030, 1, 2, 10, 0, 0, 0, time.UTC)

// copilot is a CoPilot-shaped server with an analyst bob and a customer_user carol.
func copilot(t *testing.T) (*fakecopilot.Server, string) {
	t.Helper()
	fake := fakecopilot.New(testclock.New(copilotStart).Now)
	fake.AddUser("bob", "bob-pw", fakecopilot.RoleAnalyst)
	fake.AddUser("carol", "carol-pw", fakecopilot.RoleCustomerUser)
	hs := httptest.NewServer(fake)
	t.Cleanup(hs.Close)
	return fake, hs.URL
}

// reference is the reference server with alice.
func reference(t *testing.T) *servertest.Server {
	t.Helper()
	s := servertest.New(t, servertest.Options{})
	s.CreateUser(t, "alice", "alice-password-1", "user")
	return s
}

// manager is a Manager of url keeping sessions in memory and remembering
// users in a real config file, a new one; it returns the file's path too.
func manager(t *testing.T, url string) (*session.Manager, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "twofa", "config.json")
	return managerWith(t, url, path), path
}

// managerWith is manager with the config file at path: the next run.
func managerWith(t *testing.T, url, path string) *session.Manager {
	t.Helper()
	c, err := client.New(client.Options{Server: url, UserAgentVersion: "test"})
	if err != nil {
		t.Fatal(err)
	}
	file, err := config.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	return session.New(c, keyring.NewMemory(keyring.BackendMemory), file)
}

// signIn signs user in with password and saves the session.
func signIn(t *testing.T, m *session.Manager, user, password string) session.Session {
	t.Helper()
	res, err := m.SignIn(ctx, user, password)
	if err != nil || res.Pending != nil {
		t.Fatalf("SignIn(%s) = %+v, %v", user, res, err)
	}
	if _, err := m.Save(res.Session); err != nil {
		t.Fatal(err)
	}
	return res.Session
}

// TestSignInRemembersTheRoute: a customer_user is signed in at the Customer
// Portal's route after CoPilot's 403, Save remembers that in the config
// file, and the next sign-in (a new process) goes there directly.
func TestSignInRemembersTheRoute(t *testing.T) {
	fake, url := copilot(t)
	m, path := manager(t, url)
	s := signIn(t, m, "carol", "carol-pw")
	if s.Portal != client.PortalCustomer || m.LastUser() != "carol" {
		t.Fatalf("session = %v at %q, last user %q", s, s.Portal, m.LastUser())
	}
	if n := fake.Requests("/api/auth/token"); n != 1 {
		t.Fatalf("%d sign-ins at the main route, want 1 (the 403)", n)
	}
	cfg, err := config.Load(path)
	if err != nil || cfg.RouteOf(url, "carol") != "customer-portal" {
		t.Fatalf("config = %+v, %v", cfg, err)
	}
	again := managerWith(t, url, path)
	signIn(t, again, "carol", "carol-pw")
	if n := fake.Requests("/api/auth/token"); n != 1 {
		t.Fatalf("the second run asked the main route again (%d sign-ins there)", n)
	}
	// bob signs in at the main route: nothing is remembered for him.
	signIn(t, again, "bob", "bob-pw")
	if cfg, _ := config.Load(path); cfg.RouteOf(url, "bob") != "" || cfg.RouteOf(url, "carol") != "customer-portal" || cfg.LastUser[url] != "bob" {
		t.Fatalf("config after bob = %+v", cfg)
	}
}

// TestSecondFactorAndResume: a sign-in with 2FA on is pending until its
// code; the saved session resumes with the account loaded, and one the
// server revoked comes back refused beside the loaded session.
func TestSecondFactorAndResume(t *testing.T) {
	ref := reference(t)
	m, _ := manager(t, ref.URL)
	s := signIn(t, m, "alice", "alice-password-1")
	setup, err := m.ClientFor(s).Setup(ctx, "alice-password-1")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := m.ClientFor(s).VerifySetup(ctx, ref.Code(t, setup.Secret)); err != nil {
		t.Fatal(err)
	}
	ref.Clock.Advance(30 * time.Second)
	res, err := m.SignIn(ctx, "alice", "alice-password-1")
	if err != nil || res.Pending == nil || res.Session.SignedIn() {
		t.Fatalf("SignIn with 2FA on = %+v, %v", res, err)
	}
	if _, err := m.SecondFactor(ctx, *res.Pending, "000000", false); !errors.Is(err, &client.APIError{Code: wire.InvalidCode}) && !errors.Is(err, &client.APIError{Code: wire.CodeReused}) {
		t.Fatalf("wrong code: %v", err)
	}
	s, err = m.SecondFactor(ctx, *res.Pending, setup.BackupCodes[0], true)
	if err != nil || s.User != "alice" || !s.SignedIn() {
		t.Fatalf("SecondFactor = %v, %v", s, err)
	}
	if _, err := m.Save(s); err != nil {
		t.Fatal(err)
	}

	got, acct, err := m.Resume(ctx, "alice")
	if err != nil || got.Token != s.Token || !acct.TwoFactorOn || acct.Me == nil || acct.Me.TwoFactor.BackupCodesRemaining != len(setup.BackupCodes)-1 {
		t.Fatalf("Resume = %v, %+v, %v", got, acct, err)
	}
	if _, _, err := m.Resume(ctx, "nobody"); !errors.Is(err, session.ErrNotStored) {
		t.Fatalf("Resume of nobody: %v", err)
	}
	if err := m.ClientFor(s).Logout(ctx); err != nil { // revoked elsewhere
		t.Fatal(err)
	}
	got, _, err = m.Resume(ctx, "alice")
	if !errors.Is(err, &client.APIError{Code: wire.Unauthorized}) || got.Token != s.Token {
		t.Fatalf("Resume of a revoked session = %v, %v", got, err)
	}
	if err := m.Forget("alice"); err != nil {
		t.Fatal(err)
	}
	if _, err := m.Load("alice"); !errors.Is(err, session.ErrNotStored) {
		t.Fatalf("Load after Forget: %v", err)
	}
}

// TestLogout: the reference server revokes; a stock CoPilot cannot, and
// the session's own expiry says until when it stays valid; a session the
// server had already ended is said so. Every time it is deleted here.
func TestLogout(t *testing.T) {
	ref := reference(t)
	_, stock := copilot(t)
	tests := []struct {
		name, url, user, password string
		revokeFirst               bool
		want                      session.LoggedOut
	}{
		{name: "reference", url: ref.URL, user: "alice", password: "alice-password-1", want: session.LoggedOut{Revoked: true}},
		{name: "stock CoPilot", url: stock, user: "bob", password: "bob-pw",
			want: session.LoggedOut{Unrevocable: true, ValidUntil: copilotStart.Add(fakecopilot.SessionTTL)}},
		{name: "already ended", url: ref.URL, user: "alice", password: "alice-password-1", revokeFirst: true, want: session.LoggedOut{AlreadyEnded: true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, _ := manager(t, tt.url)
			s := signIn(t, m, tt.user, tt.password)
			if tt.revokeFirst {
				if err := m.ClientFor(s).Logout(ctx); err != nil {
					t.Fatal(err)
				}
			}
			out, err := m.Logout(ctx, s)
			if err != nil {
				t.Fatal(err)
			}
			if tt.want.AlreadyEnded != (out.RevokeErr != nil) {
				t.Fatalf("RevokeErr = %v", out.RevokeErr)
			}
			out.RevokeErr = nil
			if out != tt.want {
				t.Fatalf("Logout = %+v, want %+v", out, tt.want)
			}
			if _, err := m.Load(tt.user); !errors.Is(err, session.ErrNotStored) {
				t.Fatalf("still stored after Logout: %v", err)
			}
		})
	}
}

// TestAccountAsksMissingMeOnce: against a stock CoPilot the account is
// /2fa/status only, and /me is asked once whatever the number of loads.
func TestAccountAsksMissingMeOnce(t *testing.T) {
	fake, url := copilot(t)
	m, _ := manager(t, url)
	s := signIn(t, m, "bob", "bob-pw")
	for i := 0; i < 3; i++ {
		acct, err := m.Account(ctx, s)
		if err != nil || acct.TwoFactorOn || acct.Me != nil {
			t.Fatalf("Account #%d = %+v, %v", i, acct, err)
		}
	}
	if me, st := fake.Requests("/api/auth/me"), fake.Requests("/api/auth/2fa/status"); me != 1 || st != 3 {
		t.Fatalf("/me asked %d times, /2fa/status %d; want 1 and 3", me, st)
	}
	if m.Client().SetupTakesPassword() {
		t.Fatal("a stock CoPilot would be asked for a password before setup")
	}
}

// TestManyPeopleAtOnce: one Manager serves many people at the same time —
// each signs in, loads the account and logs out with their own Session —
// with no data race (go test -race) and no session crossing to another.
func TestManyPeopleAtOnce(t *testing.T) {
	ref := reference(t)
	const people = 8
	for i := range people {
		ref.CreateUser(t, fmt.Sprintf("user%d", i), "pass-word-"+fmt.Sprint(i), "user")
	}
	m, _ := manager(t, ref.URL)
	var wg sync.WaitGroup
	errs := make(chan error, people)
	for i := range people {
		wg.Add(1)
		go func() {
			defer wg.Done()
			user := fmt.Sprintf("user%d", i)
			res, err := m.SignIn(ctx, user, "pass-word-"+fmt.Sprint(i))
			if err == nil {
				_, err = m.Save(res.Session)
			}
			var acct session.Account
			if err == nil {
				acct, err = m.Account(ctx, res.Session)
			}
			if err == nil && acct.Me.Username != user {
				err = fmt.Errorf("%s got the account of %s", user, acct.Me.Username)
			}
			if err == nil {
				_, err = m.Logout(ctx, res.Session)
			}
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
}

// TestSessionPrintsNoToken: a Session or Pending printed by mistake, in any
// verb, shows no token.
func TestSessionPrintsNoToken(t *testing.T) {
	s := session.Session{User: "alice", Token: "secret-token-1"}
	p := session.Pending{User: "alice", Token: "secret-token-2"}
	for _, verb := range []string{"%v", "%+v", "%#v", "%s"} {
		if out := fmt.Sprintf(verb+" "+verb, s, p); strings.Contains(out, "secret-token") {
			t.Errorf("%s shows a token: %s", verb, out)
		}
	}
}
