package client

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/twofa/twofa/internal/wire"
	"github.com/twofa/twofa/server/servertest"
)

// TestReferenceServer runs every client method against the real reference
// server and checks each typed error it can produce.
func TestReferenceServer(t *testing.T) {
	ctx := context.Background()
	e := servertest.New(t, servertest.Options{})
	aliceID := e.CreateUser(t, "alice", "alice-password-1", "user")
	e.CreateUser(t, "root", "root-password-1", "admin")
	c, tokens := newAgainst(t, e.URL+"/api") // "/api" suffix accepted

	h, err := c.Health(ctx)
	if err != nil || h.Status != "ok" {
		t.Fatalf("health = %+v, %v", h, err)
	}
	if k := c.Clock(); !k.Known || k.Drifted() {
		t.Fatalf("clock after a response from a server whose clock is local: %+v", k)
	}

	_, err = c.Login(ctx, "alice", "nope")
	wantCode(t, err, wire.InvalidCredentials, 401)
	_, err = c.Login(ctx, "nobody", "nope")
	wantCode(t, err, wire.InvalidCredentials, 401)
	// No Customer Portal route here: a remembered one falls back to the main route.
	if lr, err := c.LoginAt(ctx, PortalCustomer, "alice", "alice-password-1"); err != nil || lr.Portal != PortalMain {
		t.Fatalf("LoginAt(customer portal) = %+v, %v; want the main route", lr, err)
	}

	lr, err := c.Login(ctx, "alice", "alice-password-1")
	if err != nil || lr.Requires2FA {
		t.Fatalf("login = %+v, %v", lr, err)
	}
	tokens.Set(lr.AccessToken)

	me, err := c.Me(ctx)
	if err != nil || me.Username != "alice" || me.ID != aliceID || me.Role != "user" || me.TwoFactor.Enabled || me.TwoFactor.EnabledAt != nil {
		t.Fatalf("me = %+v, %v", me, err)
	}
	if st, err := c.TwoFAStatus(ctx); err != nil || st.Enabled {
		t.Fatalf("status = %+v, %v", st, err)
	}

	_, err = c.VerifySetup(ctx, "123456")
	wantCode(t, err, wire.SetupRequired, 400)
	_, err = c.Setup(ctx, "")
	wantCode(t, err, wire.PasswordRequired, 401)
	_, err = c.Setup(ctx, "wrong-password")
	wantCode(t, err, wire.InvalidPassword, 401)
	setup, err := c.Setup(ctx, "alice-password-1")
	if err != nil || setup.Secret == "" || !strings.HasPrefix(setup.OTPAuthURL, "otpauth://totp/") || len(setup.BackupCodes) == 0 || !setup.BackupCodesAnyForm {
		t.Fatalf("setup = %+v, %v", setup, err)
	}
	_, err = c.VerifySetup(ctx, "000000")
	if e.Code(t, setup.Secret) != "000000" {
		wantCode(t, err, wire.InvalidCode, 400)
	}
	if _, err := c.VerifySetup(ctx, e.Code(t, setup.Secret)); err != nil {
		t.Fatalf("verify-setup: %v", err)
	}
	_, err = c.Setup(ctx, "alice-password-1")
	wantCode(t, err, wire.AlreadyEnabled, 409)

	me, err = c.Me(ctx)
	if err != nil || !me.TwoFactor.Enabled || me.TwoFactor.EnabledAt == nil || me.TwoFactor.BackupCodesRemaining != len(setup.BackupCodes) {
		t.Fatalf("me after enable = %+v, %v", me, err)
	}

	// Pending token: refused everywhere but validate.
	lr, err = c.Login(ctx, "alice", "alice-password-1")
	if err != nil || !lr.Requires2FA {
		t.Fatalf("login with 2FA = %+v, %v", lr, err)
	}
	session := tokens.Token()
	tokens.Set(lr.AccessToken)
	_, err = c.TwoFAStatus(ctx)
	wantCode(t, err, wire.Unauthorized, 401)
	_, err = c.Refresh(ctx)
	wantCode(t, err, wire.Unauthorized, 401)
	_, err = c.Me(ctx)
	wantCode(t, err, wire.Unauthorized, 401)
	tokens.Set(session)

	// The step spent by verify-setup is not accepted again.
	_, err = c.ValidateTOTP(ctx, lr.AccessToken, e.Code(t, setup.Secret))
	wantCode(t, err, wire.CodeReused, 401)
	e.Clock.Advance(30 * time.Second)
	tok, err := c.ValidateTOTP(ctx, lr.AccessToken, e.Code(t, setup.Secret))
	if err != nil || tok.AccessToken == "" || tok.AccessToken == lr.AccessToken {
		t.Fatalf("validate = %+v, %v", tok, err)
	}
	// The pending token was spent by that success.
	e.Clock.Advance(30 * time.Second)
	_, err = c.ValidateTOTP(ctx, lr.AccessToken, e.Code(t, setup.Secret))
	wantCode(t, err, wire.PendingExpired, 401)

	// Backup code typed in lower case with a dash.
	lr, _ = c.Login(ctx, "alice", "alice-password-1")
	typed := strings.ToLower(setup.BackupCodes[0])
	if !strings.Contains(typed, "-") {
		typed = typed[:5] + "-" + typed[5:]
	}
	if _, err := c.ValidateBackup(ctx, lr.AccessToken, typed); err != nil {
		t.Fatalf("backup %q: %v", typed, err)
	}
	lr, _ = c.Login(ctx, "alice", "alice-password-1")
	_, err = c.ValidateBackup(ctx, lr.AccessToken, setup.BackupCodes[0])
	wantCode(t, err, wire.InvalidCode, 401)

	// Pending token expiry.
	lr, _ = c.Login(ctx, "alice", "alice-password-1")
	e.Clock.Advance(6 * time.Minute)
	_, err = c.ValidateTOTP(ctx, lr.AccessToken, e.Code(t, setup.Secret))
	wantCode(t, err, wire.PendingExpired, 401)

	tokens.Set(tok.AccessToken)
	fresh, err := c.Refresh(ctx)
	if err != nil || fresh.AccessToken == "" {
		t.Fatalf("refresh = %+v, %v", fresh, err)
	}
	tokens.Set(fresh.AccessToken) // the reference server's refresh replaces the token it was given
	me, _ = c.Me(ctx)
	if me.TwoFactor.BackupCodesRemaining != len(setup.BackupCodes)-1 {
		t.Fatalf("backup codes remaining = %d", me.TwoFactor.BackupCodesRemaining)
	}

	e.Clock.Advance(30 * time.Second)
	regen, err := c.RegenerateBackupCodes(ctx, e.Code(t, setup.Secret))
	if err != nil || len(regen.BackupCodes) != len(setup.BackupCodes) || !regen.BackupCodesAnyForm {
		t.Fatalf("regenerate = %+v, %v; want a full set the server accepts in any form [ext]", regen, err)
	}

	// Admin reset: forbidden for alice, allowed for root.
	err = c.AdminResetTOTP(ctx, aliceID)
	wantCode(t, err, wire.Forbidden, 403)
	admin, adminTokens := newAgainst(t, e.URL)
	alr, err := admin.Login(ctx, "root", "root-password-1")
	if err != nil {
		t.Fatal(err)
	}
	adminTokens.Set(alr.AccessToken)
	if err := admin.AdminResetTOTP(ctx, aliceID); err != nil {
		t.Fatalf("admin reset: %v", err)
	}
	// The reset may end alice's sessions; she signs in again, now without 2FA.
	lr, err = c.Login(ctx, "alice", "alice-password-1")
	if err != nil || lr.Requires2FA {
		t.Fatalf("login after reset = %+v, %v", lr, err)
	}
	tokens.Set(lr.AccessToken)
	_, err = c.DisableTOTP(ctx, e.Code(t, setup.Secret))
	wantCode(t, err, wire.NotEnabled, 409)

	// Enable again, then disable with a backup code.
	setup2, err := c.Setup(ctx, "alice-password-1")
	if err != nil {
		t.Fatal(err)
	}
	e.Clock.Advance(30 * time.Second)
	if _, err := c.VerifySetup(ctx, e.Code(t, setup2.Secret)); err != nil {
		t.Fatal(err)
	}
	if _, err := c.DisableBackup(ctx, setup2.BackupCodes[2]); err != nil {
		t.Fatalf("disable with backup code: %v", err)
	}
	if st, _ := c.TwoFAStatus(ctx); st.Enabled {
		t.Fatal("still enabled after disable")
	}

	// Logout revokes the session at once.
	if err := c.Logout(ctx); err != nil {
		t.Fatalf("logout: %v", err)
	}
	_, err = c.Me(ctx)
	wantCode(t, err, wire.Unauthorized, 401)
}

// TestReferenceLockout: 5 wrong codes, then 429 with Retry-After and the
// code locked_out, even for the right code; the client never resends.
func TestReferenceLockout(t *testing.T) {
	ctx := context.Background()
	e := servertest.New(t, servertest.Options{})
	e.CreateUser(t, "bob", "bob-password-1", "user")
	c := signIn(t, e.URL, "bob", "bob-password-1")
	setup, err := c.Setup(ctx, "bob-password-1")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.VerifySetup(ctx, e.Code(t, setup.Secret)); err != nil {
		t.Fatal(err)
	}
	e.Clock.Advance(30 * time.Second)
	lr, _ := c.Login(ctx, "bob", "bob-password-1")
	right := e.Code(t, setup.Secret)
	wrong := "000000"
	if wrong == right {
		wrong = "111111"
	}
	for i := 0; i < 5; i++ {
		_, err := c.ValidateTOTP(ctx, lr.AccessToken, wrong)
		wantCode(t, err, wire.InvalidCode, 401)
	}
	_, err = c.ValidateTOTP(ctx, lr.AccessToken, right)
	api := wantCode(t, err, wire.LockedOut, 429)
	if api.RetryAfter <= 0 || api.RetryAfter > 15*time.Minute {
		t.Fatalf("RetryAfter = %v", api.RetryAfter)
	}
	_, err = c.RegenerateBackupCodes(ctx, right)
	if !errors.Is(err, &APIError{Code: wire.LockedOut}) {
		t.Fatalf("regenerate while locked: %v", err)
	}
}

// TestReferenceThrottleAndRevokedSessions: the reference server's answers of
// issue 10 — a password check held back after failed sign-ins (429
// throttled, with Retry-After) and the other sessions a 2FA change ends
// (other_sessions_revoked) — are read into the client's types.
func TestReferenceThrottleAndRevokedSessions(t *testing.T) {
	ctx := context.Background()
	e := servertest.New(t, servertest.Options{})
	e.CreateUser(t, "dora", "dora-password-1", "user")
	c, tokens := newAgainst(t, e.URL)

	// Two other sessions of dora's, then this one.
	for range 2 {
		if _, err := c.Login(ctx, "dora", "dora-password-1"); err != nil {
			t.Fatal(err)
		}
	}
	lr, err := c.Login(ctx, "dora", "dora-password-1")
	if err != nil {
		t.Fatal(err)
	}
	tokens.Set(lr.AccessToken)
	setup, err := c.Setup(ctx, "dora-password-1")
	if err != nil {
		t.Fatal(err)
	}
	changed, err := c.VerifySetup(ctx, e.Code(t, setup.Secret))
	if err != nil || changed.OtherSessionsRevoked != 2 || !strings.Contains(changed.Message, "2 other sessions were signed out") {
		t.Fatalf("verify-setup = %+v, %v; want 2 other sessions revoked", changed, err)
	}
	e.Clock.Advance(30 * time.Second)
	regen, err := c.RegenerateBackupCodes(ctx, e.Code(t, setup.Secret))
	if err != nil || regen.OtherSessionsRevoked != 0 {
		t.Fatalf("regenerate = %+v, %v; want none revoked (none left)", regen, err)
	}

	// Wrong passwords until the server holds the next check back.
	var api *APIError
	for i := 0; i < 20; i++ {
		_, err = c.Login(ctx, "dora", "wrong")
		if errors.As(err, &api) && api.Code == wire.Throttled {
			break
		}
		wantCode(t, err, wire.InvalidCredentials, 401)
	}
	api = wantCode(t, err, wire.Throttled, 429)
	if api.RetryAfter <= 0 || api.RetryAfter > time.Minute {
		t.Fatalf("throttled with RetryAfter %v, want a wait of up to a minute", api.RetryAfter)
	}
}
