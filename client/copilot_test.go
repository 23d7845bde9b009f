package client

import (
	"context"
	"errors"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
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

// TestCoPilotCompatibility walks the whole 2FA life cycle against a server
// that answers like a stock CoPilot, proving every classification path.
func TestCoPilotCompatibility(t *testing.T) {
	ctx := context.Background()
	fake := newFakeCoPilot(t)
	fake.addUser("alice", "correct horse", false)
	srv := httptest.NewServer(fake)
	t.Cleanup(srv.Close)
	c, tokens := newAgainst(t, srv.URL+"/") // trailing slash accepted

	_, err := c.Login(ctx, "alice", "wrong")
	wantCode(t, err, CodeInvalidCredentials, 401)

	lr, err := c.Login(ctx, "alice", "correct horse")
	if err != nil || lr.Requires2FA || lr.AccessToken == "" || lr.TokenType != "bearer" {
		t.Fatalf("login = %+v, %v", lr, err)
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

	err = c.VerifySetup(ctx, "123456")
	wantCode(t, err, CodeSetupRequired, 400)

	setup, err := c.Setup(ctx, "correct horse")
	if err != nil || setup.Secret == "" || len(setup.BackupCodes) != 8 || !strings.HasPrefix(setup.OTPAuthURL, "otpauth://totp/") {
		t.Fatalf("setup = %+v, %v", setup, err)
	}
	err = c.VerifySetup(ctx, fake.code(t, setup.Secret, -5*time.Minute))
	wantCode(t, err, CodeInvalidCode, 400)
	if err := c.VerifySetup(ctx, fake.code(t, setup.Secret, 0)); err != nil {
		t.Fatalf("verify-setup: %v", err)
	}
	_, err = c.Setup(ctx, "correct horse")
	wantCode(t, err, CodeAlreadyEnabled, 400)
	err = c.VerifySetup(ctx, fake.code(t, setup.Secret, 0))
	wantCode(t, err, CodeAlreadyEnabled, 400)

	// Sign in again: a pending token, refused everywhere but validate.
	lr, err = c.Login(ctx, "alice", "correct horse")
	if err != nil || !lr.Requires2FA {
		t.Fatalf("login with 2FA = %+v, %v", lr, err)
	}
	pending := lr.AccessToken
	tokens.Set(pending)
	_, err = c.TwoFAStatus(ctx)
	wantCode(t, err, CodeUnauthorized, 401)
	_, err = c.Refresh(ctx)
	wantCode(t, err, CodeUnauthorized, 401)
	tokens.Clear()

	// CoPilot refuses a second success in the same window of its clock.
	_, err = c.ValidateTOTP(ctx, pending, fake.code(t, setup.Secret, 30*time.Second))
	wantCode(t, err, CodeCodeReused, 401)
	fake.advance(30 * time.Second)
	tok, err := c.ValidateTOTP(ctx, pending, fake.code(t, setup.Secret, 0))
	if err != nil || tok.AccessToken == "" {
		t.Fatalf("validate: %+v, %v", tok, err)
	}
	tokens.Set(tok.AccessToken)
	if st, err := c.TwoFAStatus(ctx); err != nil || !st.Enabled {
		t.Fatalf("status after enable = %+v, %v", st, err)
	}
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
	lr, _ = c.Login(ctx, "alice", "correct horse")
	_, err = c.ValidateBackup(ctx, lr.AccessToken, setup.BackupCodes[0])
	wantCode(t, err, CodeInvalidCode, 401) // spent

	// The pending token expires after 5 minutes.
	fake.advance(6 * time.Minute)
	_, err = c.ValidateTOTP(ctx, lr.AccessToken, fake.code(t, setup.Secret, 0))
	wantCode(t, err, CodePendingExpired, 401)
	_, err = c.ValidateTOTP(ctx, "not-a-token", fake.code(t, setup.Secret, 0))
	wantCode(t, err, CodePendingExpired, 401)

	// Regenerate, then the old codes are dead.
	newCodes, err := c.RegenerateBackupCodes(ctx, fake.code(t, setup.Secret, 0))
	if err != nil || len(newCodes) != 8 {
		t.Fatalf("regenerate = %v, %v", newCodes, err)
	}
	lr, _ = c.Login(ctx, "alice", "correct horse")
	_, err = c.ValidateBackup(ctx, lr.AccessToken, setup.BackupCodes[1])
	wantCode(t, err, CodeInvalidCode, 401)

	// Disable with a backup code from the new set.
	if err := c.DisableBackup(ctx, newCodes[0]); err != nil {
		t.Fatalf("disable: %v", err)
	}
	err = c.DisableTOTP(ctx, fake.code(t, setup.Secret, 0))
	wantCode(t, err, CodeNotEnabled, 400)
	_, err = c.RegenerateBackupCodes(ctx, fake.code(t, setup.Secret, 0))
	wantCode(t, err, CodeNotEnabled, 400)

	// Admin-only route as a plain user.
	err = c.AdminResetTOTP(ctx, 1)
	wantCode(t, err, CodeForbidden, 403)

	// Without any token the client does not even ask.
	tokens.Clear()
	before := fake.requests
	_, err = c.TwoFAStatus(ctx)
	wantCode(t, err, CodeUnauthorized, 0)
	if fake.requests != before {
		t.Fatalf("a request was sent without a token")
	}
}

// TestCoPilotLockout checks that CoPilot's lockout sentence (401 at
// validate, 400 elsewhere) yields locked_out with the remaining seconds,
// and that the client sends each code exactly once.
func TestCoPilotLockout(t *testing.T) {
	ctx := context.Background()
	fake := newFakeCoPilot(t)
	fake.addUser("bob", "pw", false)
	srv := httptest.NewServer(fake)
	t.Cleanup(srv.Close)
	c, tokens := newAgainst(t, srv.URL)

	lr, _ := c.Login(ctx, "bob", "pw")
	tokens.Set(lr.AccessToken)
	setup, err := c.Setup(ctx, "pw")
	if err != nil {
		t.Fatal(err)
	}
	if err := c.VerifySetup(ctx, fake.code(t, setup.Secret, 0)); err != nil {
		t.Fatal(err)
	}
	lr, _ = c.Login(ctx, "bob", "pw")
	wrong := fake.code(t, setup.Secret, -10*time.Minute)
	for i := 0; i < 5; i++ {
		before := fake.requests
		_, err := c.ValidateTOTP(ctx, lr.AccessToken, wrong)
		wantCode(t, err, CodeInvalidCode, 401)
		if fake.requests-before != 1 {
			t.Fatalf("attempt %d sent %d requests, want exactly 1", i, fake.requests-before)
		}
	}
	fake.advance(61 * time.Second)
	fake.advance(30 * time.Second)
	_, err = c.ValidateTOTP(ctx, lr.AccessToken, fake.code(t, setup.Secret, 0))
	api := wantCode(t, err, CodeLockedOut, 401)
	if api.RetryAfter != 809*time.Second {
		t.Fatalf("RetryAfter = %v, want 809s (900 - 91)", api.RetryAfter)
	}
	if msg := Message(err); !strings.Contains(msg, "13 min 29 s") {
		t.Fatalf("Message = %q", msg)
	}
	_, err = c.RegenerateBackupCodes(ctx, fake.code(t, setup.Secret, 0))
	wantCode(t, err, CodeLockedOut, 400)
}
