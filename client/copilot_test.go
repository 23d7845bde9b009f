package client

import (
	"context"
	"errors"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"
	"github.com/twofa/twofa/internal/harness/fakecopilot"
	"github.com/twofa/twofa/internal/harness/testclock"
	"github.com/twofa/twofa/internal/wire"
)

// newAgainst returns a client of srv holding its own TokenHolder.
func newAgainst(t *testing.T, url string) (*Client, *TokenHolder) {
	t.Helper()
	h := NewTokenHolder()
	c, err := New(Options{Server: url, Tokens: h, UserAgentVersion: "test"})
	if err != nil {
		t.Fatal(err)
	}
	return c, h
}

// wantCode fails unless err is an *APIError with code and status.
func wantCode(t *testing.T, err error, code string, status int) *APIError {
	t.Helper()
	var api *APIError
	if !errors.As(err, &api) {
		t.Fatalf("err = %v (%T), want *APIError %s", err, err, code)
	}
	if api.Code != code || api.Status != status {
		t.Fatalf("err = %+v, want code %s status %d", api, code, status)
	}
	return api
}

// wantSentence is wantCode plus the server's own sentence, kept as it was said.
func wantSentence(t *testing.T, err error, code string, status int, sentence string) *APIError {
	t.Helper()
	api := wantCode(t, err, code, status)
	if api.Detail != sentence {
		t.Fatalf("sentence = %q, want %q", api.Detail, sentence)
	}
	return api
}

// copilotEnv is the CoPilot-shaped server behind httptest, on an advanceable clock.
type copilotEnv struct {
	fake *fakecopilot.Server
	url  string
	clk  *testclock.Clock
}

func newCoPilot(t *testing.T) *copilotEnv {
	t.Helper()
	clk := testclock.New(time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC))
	fake := fakecopilot.New(clk.Now)
	srv := httptest.NewServer(fake)
	t.Cleanup(srv.Close)
	return &copilotEnv{fake: fake, url: srv.URL, clk: clk}
}

// code is the authenticator app: secret's code at the fake's clock plus offset.
func (e *copilotEnv) code(t *testing.T, secret string, offset time.Duration) string {
	t.Helper()
	c, err := totp.GenerateCodeCustom(secret, e.clk.Now().Add(offset), totpOpts)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// enable signs user in on c and turns 2FA on through the API.
func (e *copilotEnv) enable(t *testing.T, c *Client, tokens *TokenHolder, user, pass string) *SetupResult {
	t.Helper()
	lr, err := c.Login(context.Background(), user, pass)
	if err != nil {
		t.Fatal(err)
	}
	tokens.Set(lr.AccessToken)
	return e.turnOn(t, c)
}

// turnOn enables 2FA for the account c is signed in as: setup, then
// verify-setup with the current code.
func (e *copilotEnv) turnOn(t *testing.T, c *Client) *SetupResult {
	t.Helper()
	setup, err := c.Setup(context.Background(), "")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.VerifySetup(context.Background(), e.code(t, setup.Secret, 0)); err != nil {
		t.Fatal(err)
	}
	return setup
}

var copilotBackupCode = regexp.MustCompile(`^[A-Z0-9]{10}$`)

// totpOpts are the authenticator app's parameters: RFC 6238 defaults.
var totpOpts = totp.ValidateOpts{Period: 30, Skew: 1, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1}

// TestCoPilotCompatibility walks the whole 2FA life cycle against a server
// that answers like a stock CoPilot, proving every classification path.
func TestCoPilotCompatibility(t *testing.T) {
	ctx := context.Background()
	e := newCoPilot(t)
	e.fake.AddUser("alice", "correct horse", fakecopilot.RoleAnalyst)
	c, tokens := newAgainst(t, e.url+"/") // trailing slash accepted

	_, err := c.Login(ctx, "alice", "wrong")
	wantSentence(t, err, wire.InvalidCredentials, 401, "Incorrect username or password")

	lr, err := c.Login(ctx, "alice", "correct horse")
	if err != nil || lr.Requires2FA || lr.AccessToken == "" || lr.TokenType != "bearer" || lr.Portal != PortalMain {
		t.Fatalf("login = %+v, %v", lr, err)
	}
	if exp, ok := TokenExpiry(lr.AccessToken); !ok || !exp.Equal(e.clk.Now().Add(24*time.Hour)) {
		t.Fatalf("session expiry = %v, %v; want the JWT's exp, 24 h on", exp, ok)
	}
	tokens.Set(lr.AccessToken)

	st, err := c.TwoFAStatus(ctx)
	if err != nil || st.Enabled {
		t.Fatalf("status = %+v, %v", st, err)
	}

	// Extension routes are absent: quietly not offered.
	if _, err := c.Me(ctx); !errors.Is(err, ErrNotOffered) {
		t.Fatalf("Me err = %v, want ErrNotOffered", err)
	}
	if err := c.Logout(ctx); !errors.Is(err, ErrNotOffered) {
		t.Fatalf("Logout err = %v, want ErrNotOffered", err)
	}
	if _, err := c.Health(ctx); !errors.Is(err, ErrNotOffered) {
		t.Fatalf("Health err = %v, want ErrNotOffered", err)
	}

	_, err = c.VerifySetup(ctx, "123456")
	wantSentence(t, err, wire.SetupRequired, 400, "No 2FA setup found. Call setup first.")

	setup, err := c.Setup(ctx, "correct horse")
	if err != nil || setup.Secret == "" || len(setup.BackupCodes) != 8 || !strings.HasPrefix(setup.OTPAuthURL, "otpauth://totp/CoPilot:alice") {
		t.Fatalf("setup = %+v, %v", setup, err)
	}
	if setup.BackupCodesAnyForm {
		t.Fatal("CoPilot never says it accepts backup codes in any form")
	}
	for _, bc := range setup.BackupCodes {
		if !copilotBackupCode.MatchString(bc) {
			t.Fatalf("backup code %q is not 10 characters of A-Z 0-9", bc)
		}
	}
	_, err = c.VerifySetup(ctx, e.code(t, setup.Secret, -5*time.Minute))
	wantSentence(t, err, wire.InvalidCode, 400, "Invalid verification code. Check your authenticator app and device clock.")
	if _, err := c.VerifySetup(ctx, e.code(t, setup.Secret, 0)); err != nil {
		t.Fatalf("verify-setup: %v", err)
	}
	_, err = c.Setup(ctx, "correct horse")
	wantCode(t, err, wire.AlreadyEnabled, 400)
	_, err = c.VerifySetup(ctx, e.code(t, setup.Secret, 0))
	wantCode(t, err, wire.AlreadyEnabled, 400)

	// Sign in again: a pending token, refused everywhere but validate.
	lr, err = c.Login(ctx, "alice", "correct horse")
	if err != nil || !lr.Requires2FA {
		t.Fatalf("login with 2FA = %+v, %v", lr, err)
	}
	pending := lr.AccessToken
	if exp, ok := TokenExpiry(pending); !ok || !exp.Equal(e.clk.Now().Add(5*time.Minute)) {
		t.Fatalf("pending expiry = %v, %v", exp, ok)
	}
	tokens.Set(pending)
	_, err = c.TwoFAStatus(ctx)
	wantCode(t, err, wire.Unauthorized, 401)
	_, err = c.Refresh(ctx)
	api := wantCode(t, err, wire.Unauthorized, 401)
	if !strings.HasPrefix(api.Detail, "Could not decode token: ") {
		t.Fatalf("refresh sentence = %q", api.Detail)
	}
	tokens.Clear()

	// CoPilot refuses a second success in the same window of its clock.
	_, err = c.ValidateTOTP(ctx, pending, e.code(t, setup.Secret, 30*time.Second))
	wantSentence(t, err, wire.CodeReused, 401, "This code has already been used. Wait for a new code.")
	_, err = c.ValidateTOTP(ctx, pending, "000000")
	wantSentence(t, err, wire.InvalidCode, 401, "Invalid authentication code.")
	e.clk.Advance(30 * time.Second)
	tok, err := c.ValidateTOTP(ctx, pending, e.code(t, setup.Secret, 0))
	if err != nil || tok.AccessToken == "" {
		t.Fatalf("validate: %+v, %v", tok, err)
	}
	tokens.Set(tok.AccessToken)
	if st, err := c.TwoFAStatus(ctx); err != nil || !st.Enabled {
		t.Fatalf("status after enable = %+v, %v", st, err)
	}
	e.clk.Advance(time.Second) // a fresh iat and exp
	fresh, err := c.Refresh(ctx)
	if err != nil || fresh.AccessToken == "" || fresh.AccessToken == tok.AccessToken {
		t.Fatalf("refresh = %+v, %v", fresh, err)
	}

	// A backup code typed in lower case with a dash works against CoPilot,
	// which only upper-cases and trims: the client strips the dash.
	lr, _ = c.Login(ctx, "alice", "correct horse")
	typed := strings.ToLower(setup.BackupCodes[0][:5] + "-" + setup.BackupCodes[0][5:])
	if _, err := c.ValidateBackup(ctx, lr.AccessToken, typed); err != nil {
		t.Fatalf("backup code %q: %v", typed, err)
	}
	_, err = c.ValidateBackup(ctx, lr.AccessToken, setup.BackupCodes[0])
	wantSentence(t, err, wire.InvalidCode, 401, "Invalid backup code.") // spent

	// The pending token expires after 5 minutes; a foreign one is refused.
	e.clk.Advance(6 * time.Minute)
	_, err = c.ValidateTOTP(ctx, lr.AccessToken, e.code(t, setup.Secret, 0))
	wantSentence(t, err, wire.PendingExpired, 401, "2FA verification token has expired. Please log in again.")
	_, err = c.ValidateTOTP(ctx, "not-a-token", e.code(t, setup.Secret, 0))
	wantSentence(t, err, wire.PendingExpired, 401, "Invalid 2FA verification token.")
	_, err = c.ValidateTOTP(ctx, tok.AccessToken, e.code(t, setup.Secret, 0))
	wantSentence(t, err, wire.PendingExpired, 401, "Invalid token type") // a session is no pending token

	// Regenerate, then the old codes are dead.
	regen, err := c.RegenerateBackupCodes(ctx, e.code(t, setup.Secret, 0))
	if err != nil || len(regen.BackupCodes) != 8 || regen.BackupCodesAnyForm {
		t.Fatalf("regenerate = %+v, %v", regen, err)
	}
	lr, _ = c.Login(ctx, "alice", "correct horse")
	_, err = c.ValidateBackup(ctx, lr.AccessToken, setup.BackupCodes[1])
	wantCode(t, err, wire.InvalidCode, 401)

	// Disable with a backup code from the new set.
	if _, err := c.DisableBackup(ctx, regen.BackupCodes[0]); err != nil {
		t.Fatalf("disable: %v", err)
	}
	_, err = c.DisableTOTP(ctx, e.code(t, setup.Secret, 0))
	wantSentence(t, err, wire.NotEnabled, 400, "2FA is not enabled for this user.")
	_, err = c.RegenerateBackupCodes(ctx, e.code(t, setup.Secret, 0))
	wantSentence(t, err, wire.NotEnabled, 400, "2FA is not enabled.")

	// Admin-only route as a plain user.
	err = c.AdminResetTOTP(ctx, 1)
	wantSentence(t, err, wire.Forbidden, 403, "Insufficient permissions. Required one of: admin")

	// Without any token the client does not even ask.
	tokens.Clear()
	before := e.fake.Requests("/api/auth/2fa/status")
	_, err = c.TwoFAStatus(ctx)
	wantCode(t, err, wire.Unauthorized, 0)
	if e.fake.Requests("/api/auth/2fa/status") != before {
		t.Fatalf("a request was sent without a token")
	}
}

// TestCoPilotReusedAndAdminReset: a reused code at disable is CoPilot's
// 400 reuse sentence; an admin's reset works and is refused for unknown ids.
func TestCoPilotReusedAndAdminReset(t *testing.T) {
	ctx := context.Background()
	e := newCoPilot(t)
	id := e.fake.AddUser("dave", "pw", fakecopilot.RoleAnalyst)
	e.fake.AddUser("root", "root-pw", fakecopilot.RoleAdmin)
	c, tokens := newAgainst(t, e.url)
	setup := e.enable(t, c, tokens, "dave", "pw")
	_, err := c.DisableTOTP(ctx, e.code(t, setup.Secret, 0))
	wantSentence(t, err, wire.CodeReused, 400, "This code has already been used. Wait for a new code.")

	admin, adminTokens := newAgainst(t, e.url)
	lr, err := admin.Login(ctx, "root", "root-pw")
	if err != nil {
		t.Fatal(err)
	}
	adminTokens.Set(lr.AccessToken)
	err = admin.AdminResetTOTP(ctx, 99)
	wantSentence(t, err, "", 404, "User 99 not found")
	if err := admin.AdminResetTOTP(ctx, id); err != nil {
		t.Fatalf("admin reset: %v", err)
	}
	if lr, err := c.Login(ctx, "dave", "pw"); err != nil || lr.Requires2FA {
		t.Fatalf("sign-in after the reset = %+v, %v", lr, err)
	}
}

// TestCoPilotLockout checks that CoPilot's lockout sentence (401 at
// validate, 400 elsewhere) yields locked_out with the remaining seconds,
// and that the client sends each code exactly once.
func TestCoPilotLockout(t *testing.T) {
	ctx := context.Background()
	e := newCoPilot(t)
	e.fake.AddUser("bob", "pw", fakecopilot.RoleAnalyst)
	c, tokens := newAgainst(t, e.url)
	setup := e.enable(t, c, tokens, "bob", "pw")
	lr, _ := c.Login(ctx, "bob", "pw")
	wrong := e.code(t, setup.Secret, -10*time.Minute)
	for i := 0; i < 5; i++ {
		before := e.fake.Requests("/api/auth/2fa/validate")
		_, err := c.ValidateTOTP(ctx, lr.AccessToken, wrong)
		wantCode(t, err, wire.InvalidCode, 401)
		if n := e.fake.Requests("/api/auth/2fa/validate") - before; n != 1 {
			t.Fatalf("attempt %d sent %d requests, want exactly 1", i, n)
		}
	}
	e.clk.Advance(91 * time.Second)
	_, err := c.ValidateTOTP(ctx, lr.AccessToken, e.code(t, setup.Secret, 0))
	api := wantSentence(t, err, wire.LockedOut, 401, "Too many failed 2FA attempts. Try again in 809 seconds.")
	if api.RetryAfter != 809*time.Second {
		t.Fatalf("RetryAfter = %v, want 809s (900 - 91)", api.RetryAfter)
	}
	_, err = c.ValidateBackup(ctx, lr.AccessToken, setup.BackupCodes[0])
	wantCode(t, err, wire.LockedOut, 401) // even the right code
	_, err = c.RegenerateBackupCodes(ctx, e.code(t, setup.Secret, 0))
	api = wantCode(t, err, wire.LockedOut, 400)
	if api.RetryAfter != 809*time.Second {
		t.Fatalf("RetryAfter at regenerate = %v", api.RetryAfter)
	}
	_, err = c.DisableBackup(ctx, setup.BackupCodes[1])
	wantCode(t, err, wire.LockedOut, 400)
}

// TestCoPilotCustomerPortal: a customer_user is refused at /api/auth/token
// with 403 and signed in by the same form at the Customer Portal's route;
// starting there goes straight in; an account of the main portal started
// there falls back to the main route.
func TestCoPilotCustomerPortal(t *testing.T) {
	ctx := context.Background()
	e := newCoPilot(t)
	e.fake.AddUser("carol", "pw-carol", fakecopilot.RoleCustomerUser)
	e.fake.AddUser("alice", "pw-alice", fakecopilot.RoleAnalyst)
	c, tokens := newAgainst(t, e.url)
	const main, portal = "/api/auth/token", "/api/auth/token/customer-portal"

	_, err := c.Login(ctx, "carol", "wrong")
	wantCode(t, err, wire.InvalidCredentials, 401)
	if e.fake.Requests(portal) != 0 {
		t.Fatal("a wrong password was retried at the Customer Portal")
	}
	lr, err := c.Login(ctx, "carol", "pw-carol")
	if err != nil || lr.Portal != PortalCustomer || lr.Requires2FA {
		t.Fatalf("customer sign-in = %+v, %v", lr, err)
	}
	if e.fake.Requests(main) != 2 || e.fake.Requests(portal) != 1 {
		t.Fatalf("requests main=%d portal=%d, want 2 and 1", e.fake.Requests(main), e.fake.Requests(portal))
	}
	tokens.Set(lr.AccessToken)
	setup := e.turnOn(t, c)

	// Remembered: straight to the Customer Portal, 2FA as for anyone.
	lr, err = c.LoginAt(ctx, PortalCustomer, "carol", "pw-carol")
	if err != nil || lr.Portal != PortalCustomer || !lr.Requires2FA || e.fake.Requests(main) != 2 {
		t.Fatalf("remembered customer sign-in = %+v, %v (main requests %d)", lr, err, e.fake.Requests(main))
	}
	e.clk.Advance(30 * time.Second)
	if _, err := c.ValidateTOTP(ctx, lr.AccessToken, e.code(t, setup.Secret, 0)); err != nil {
		t.Fatalf("customer validate: %v", err)
	}

	// The route remembered for a user who now signs in at the main one.
	lr, err = c.LoginAt(ctx, PortalCustomer, "alice", "pw-alice")
	if err != nil || lr.Portal != PortalMain {
		t.Fatalf("fallback to the main route = %+v, %v", lr, err)
	}
}
