package client

import (
	"context"
	"encoding/base64"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/twofa/twofa/internal/wire"
)

// canned answers every request with one fixed response.
type canned struct {
	status  int
	ctype   string
	headers map[string]string
	body    string
}

func (k canned) ServeHTTP(w http.ResponseWriter, _ *http.Request) {
	for h, v := range k.headers {
		w.Header().Set(h, v)
	}
	if k.ctype != "" {
		w.Header().Set("Content-Type", k.ctype)
	}
	w.WriteHeader(k.status)
	_, _ = w.Write([]byte(k.body))
}

// validate is a call at /2fa/validate, where CoPilot's 401s are about the code.
func validate(c *Client) error {
	_, err := c.ValidateTOTP(context.Background(), "pending", "123456")
	return err
}

// login is a password sign-in at the main route.
func login(c *Client) error {
	_, err := c.Login(context.Background(), "alice", "hunter2-secret")
	return err
}

// setup is a call at /2fa/setup.
func setup(c *Client) error {
	_, err := c.Setup(context.Background(), "hunter2-secret")
	return err
}

func TestResponseClassification(t *testing.T) {
	const html = "<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>"
	tests := []struct {
		name       string
		resp       canned
		call       func(*Client) error
		wantKind   string // TransportError kind, or "" for an APIError
		wantCode   string
		wantStatus int
		wantRetry  time.Duration
		wantErr    string // substring of err.Error(): the facts the error carries
	}{
		{name: "proxy HTML 502", resp: canned{status: 502, ctype: "text/html", body: html}, wantKind: KindBadResponse, wantErr: "HTTP 502 with a text/html body"},
		{name: "empty 502", resp: canned{status: 502}, wantKind: KindBadResponse, wantErr: "HTTP 502 with an empty body"},
		{name: "empty 404", resp: canned{status: 404}, wantKind: KindBadResponse, wantErr: "HTTP 404 with an empty body"},
		{name: "garbage 200", resp: canned{status: 200, ctype: "text/plain", body: "hello"}, wantKind: KindBadResponse, wantErr: "HTTP 200 with a text/plain body"},
		{name: "HTML 200 login portal", resp: canned{status: 200, body: "<!doctype html><html><body>Sign in to Wi-Fi</body></html>"}, wantKind: KindBadResponse, wantErr: "text/html body"},
		{name: "truncated JSON error", resp: canned{status: 500, ctype: "application/json", body: `{"detail": "Inter`}, wantKind: KindBadResponse},
		{name: "JSON 200 without token", resp: canned{status: 200, ctype: "application/json", body: `{"ok":true}`}, wantKind: KindBadResponse},
		{name: "redirect", resp: canned{status: 302, headers: map[string]string{"Location": "https://login.example.com/sso?next=x"}}, wantKind: KindBadResponse, wantErr: "HTTP 302 redirect to https://login.example.com/sso"},
		{name: "JSON 500 without detail", resp: canned{status: 500, ctype: "application/json", body: `{"message":"boom"}`}, wantCode: "", wantStatus: 500, wantErr: "server answered 500 error: boom"},
		{name: "reference code wins", resp: canned{status: 401, ctype: "application/json", body: `{"detail":"Something else","code":"invalid_code"}`}, wantCode: wire.InvalidCode, wantStatus: 401},
		{name: "429 with Retry-After", resp: canned{status: 429, ctype: "application/json", headers: map[string]string{"Retry-After": "120"},
			body: `{"detail":"Too many failed 2FA attempts. Try again in 120 seconds.","code":"locked_out"}`}, wantCode: wire.LockedOut, wantStatus: 429, wantRetry: 120 * time.Second, wantErr: "Try again in 120 seconds."},
		{name: "429 without code", resp: canned{status: 429, ctype: "application/json", headers: map[string]string{"Retry-After": "7"}, body: `{"detail":"slow down"}`},
			wantCode: wire.LockedOut, wantStatus: 429, wantRetry: 7 * time.Second, wantErr: "slow down"},
		{name: "CoPilot lockout sentence", resp: canned{status: 400, ctype: "application/json", body: `{"detail":"Too many failed 2FA attempts. Try again in 899 seconds."}`},
			wantCode: wire.LockedOut, wantStatus: 400, wantRetry: 899 * time.Second},
		{name: "FastAPI 422 list never echoes input", resp: canned{status: 422, ctype: "application/json",
			body: `{"detail":[{"loc":["body","password"],"msg":"Field required","type":"missing","input":"hunter2-secret"}]}`},
			wantCode: "", wantStatus: 422, wantErr: ": Field required"},
		{name: "HTTPBearer 403", resp: canned{status: 403, ctype: "application/json", body: `{"detail":"Not authenticated"}`}, wantCode: wire.Unauthorized, wantStatus: 403},
		{name: "500 with detail", resp: canned{status: 500, ctype: "application/json", body: `{"detail":"Internal Server Error"}`}, wantStatus: 500, wantErr: "server answered 500 error: Internal Server Error"},
		{name: "CoPilot wrong TOTP at validate", resp: canned{status: 401, ctype: "application/json", body: `{"success":false,"message":"Invalid authentication code."}`},
			call: validate, wantCode: wire.InvalidCode, wantStatus: 401, wantErr: "invalid_code: Invalid authentication code."},
		{name: "CoPilot lockout at validate", resp: canned{status: 401, ctype: "application/json", body: `{"success":false,"message":"Too many failed 2FA attempts. Try again in 899 seconds."}`},
			call: validate, wantCode: wire.LockedOut, wantStatus: 401, wantRetry: 899 * time.Second, wantErr: "Try again in 899 seconds."},
		{name: "CoPilot unclassified 401 at validate keeps its sentence", resp: canned{status: 401, ctype: "application/json", body: `{"success":false,"message":"User not found"}`},
			call: validate, wantCode: "", wantStatus: 401, wantErr: "server answered 401 error: User not found"},
		{name: "CoPilot pending token at validate", resp: canned{status: 401, ctype: "application/json", body: `{"success":false,"message":"2FA verification token has expired. Please log in again."}`},
			call: validate, wantCode: wire.PendingExpired, wantStatus: 401},
		{name: "CoPilot 422", resp: canned{status: 422, ctype: "application/json",
			body: `{"message":"code: Input should be a valid string","details":[{"field":"code","error_type":"value_error","message":"code: Input should be a valid string"}]}`},
			wantCode: "", wantStatus: 422, wantErr: "server answered 422 error: code: Input should be a valid string"},
		{name: "CoPilot session ended", resp: canned{status: 401, ctype: "application/json", body: `{"success":false,"message":"Could not decode token: 401: Expired signature"}`},
			wantCode: wire.Unauthorized, wantStatus: 401, wantErr: "unauthorized: Could not decode token: 401: Expired signature"},
		{name: "message wins over detail", resp: canned{status: 400, ctype: "application/json", body: `{"message":"Invalid backup code.","detail":"other"}`},
			call: validate, wantCode: wire.InvalidCode, wantStatus: 400, wantErr: "invalid_code: Invalid backup code."},
		{name: "setup codes with an escape sequence", resp: canned{status: 200, ctype: "application/json",
			body: `{"secret":"JBSWY3DPEHPK3PXP","otpauth_url":"otpauth://totp/x","backup_codes":["ABCDE\u001b[2J"]}`},
			call: func(c *Client) error { _, err := c.Setup(context.Background(), ""); return err }, wantKind: KindBadResponse},
		{name: "regenerate codes with a space", resp: canned{status: 200, ctype: "application/json", body: `{"backup_codes":["ABCDE 12345"]}`},
			call: func(c *Client) error { _, err := c.RegenerateBackupCodes(context.Background(), "123456"); return err }, wantKind: KindBadResponse},
		{name: "control characters never reach the screen", resp: canned{status: 400, ctype: "application/json", body: `{"success":false,"message":"bad\u001b[2Jthing\nhere"}`},
			wantCode: "", wantStatus: 400, wantErr: "server answered 400 error: badthing here"},
		{name: "throttled sign-in", resp: canned{status: 429, ctype: "application/json", headers: map[string]string{"Retry-After": "42"},
			body: `{"detail":"Too many failed sign-in attempts. Try again in 42 seconds.","code":"throttled"}`},
			call: login, wantCode: wire.Throttled, wantStatus: 429, wantRetry: 42 * time.Second},
		{name: "throttled setup password", resp: canned{status: 429, ctype: "application/json", headers: map[string]string{"Retry-After": "5"},
			body: `{"detail":"Too many failed sign-in attempts. Try again in 5 seconds.","code":"throttled"}`},
			call: setup, wantCode: wire.Throttled, wantStatus: 429, wantRetry: 5 * time.Second},
		{name: "a proxy's 429 at sign-in is a throttle", resp: canned{status: 429, ctype: "application/json", headers: map[string]string{"Retry-After": "3"}, body: `{"detail":"Too many requests"}`},
			call: login, wantCode: wire.Throttled, wantStatus: 429, wantRetry: 3 * time.Second},
		{name: "an unbelievable Retry-After is no countdown", resp: canned{status: 429, ctype: "application/json", headers: map[string]string{"Retry-After": "999999999999999"},
			body: `{"detail":"Too many failed sign-in attempts.","code":"throttled"}`}, call: login, wantCode: wire.Throttled, wantStatus: 429},
		{name: "an error code over its bound", resp: canned{status: 400, ctype: "application/json", body: `{"code":"` + strings.Repeat("x", 65) + `"}`},
			wantKind: KindBadResponse, wantErr: "code: 65 characters, more than 64"},
		{name: "a sentence over its bound", resp: canned{status: 400, ctype: "application/json", body: `{"message":"` + strings.Repeat("x", 513) + `"}`},
			wantKind: KindBadResponse, wantErr: "message: 513 characters, more than 512"},
		{name: "a redirect's Location is cleaned", resp: canned{status: 302, headers: map[string]string{"Location": "https://ev\u202eil.example/\u009b6n"}},
			wantKind: KindBadResponse, wantErr: "redirect to https://ev%E2%80%AEil.example/%C2%9B6n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := httptest.NewServer(tt.resp)
			defer srv.Close()
			c, tokens := newAgainst(t, srv.URL)
			tokens.Set("session-token-xyz")
			call := tt.call
			if call == nil {
				call = func(c *Client) error { _, err := c.Refresh(context.Background()); return err }
			}
			err := call(c)
			if err == nil {
				t.Fatal("no error")
			}
			if tt.wantKind != "" {
				var tr *TransportError
				if !errors.As(err, &tr) || tr.Kind != tt.wantKind {
					t.Fatalf("err = %v (%T), want TransportError %s", err, err, tt.wantKind)
				}
				if tr.Server != srv.URL {
					t.Errorf("Server = %q, want %q", tr.Server, srv.URL)
				}
			} else {
				api := wantCode(t, err, tt.wantCode, tt.wantStatus)
				if api.RetryAfter != tt.wantRetry {
					t.Errorf("RetryAfter = %v, want %v", api.RetryAfter, tt.wantRetry)
				}
			}
			msg := err.Error()
			if !strings.Contains(msg, tt.wantErr) {
				t.Errorf("err = %q, want it to contain %q", msg, tt.wantErr)
			}
			if strings.Contains(msg, "\n") || strings.Contains(msg, "hunter2") || strings.Contains(msg, "session-token-xyz") || strings.Contains(msg, "\x1b") {
				t.Errorf("error %q leaks or spans lines", msg)
			}
		})
	}
}

// TestClassifyCoPilotSentences pins each answer of CoPilot's auth and 2FA
// code (api.md "Errors"), on the route that gives it, to a Code.
func TestClassifyCoPilotSentences(t *testing.T) {
	tests := []struct {
		rt       route
		status   int
		sentence string
		want     string
	}{
		{routeToken, 401, "Incorrect username or password", wire.InvalidCredentials},
		{routeToken, 401, "User is disabled", wire.InvalidCredentials},
		{routeToken, 403, "This account is registered for the Customer Portal only. Please log in at the Customer Portal to access your account.", wire.CustomerPortalOnly},
		{routeToken, 403, "Forbidden", wire.Forbidden},
		{routeCustomerToken, 401, "Incorrect username or password", wire.InvalidCredentials},
		{routeCustomerToken, 403, "This account does not have access to the Customer Portal.", wire.NoCustomerPortal},
		{routeValidate, 401, "Invalid authentication code.", wire.InvalidCode},
		{routeValidate, 401, "Invalid backup code.", wire.InvalidCode},
		{routeValidate, 401, "This code has already been used. Wait for a new code.", wire.CodeReused},
		{routeValidate, 401, "Too many failed 2FA attempts. Try again in 899 seconds.", wire.LockedOut},
		{routeValidate, 401, "2FA verification token has expired. Please log in again.", wire.PendingExpired},
		{routeValidate, 401, "Invalid 2FA verification token.", wire.PendingExpired},
		{routeValidate, 401, "Invalid token type", wire.PendingExpired},
		{routeValidate, 401, "2FA is not enabled for this user.", wire.NotEnabled},
		// Never "your sign-in expired" for what is not about the token.
		{routeValidate, 401, "User not found", ""},
		{routeValidate, 401, "", ""},
		{routeValidate, 400, "Provide a TOTP code or backup code.", ""},
		{routeVerifySetup, 400, "Invalid verification code. Check your authenticator app and device clock.", wire.InvalidCode},
		{routeVerifySetup, 400, "Too many failed 2FA attempts. Try again in 12 seconds.", wire.LockedOut},
		{routeVerifySetup, 400, "No 2FA setup found. Call setup first.", wire.SetupRequired},
		{routeVerifySetup, 400, "2FA is already enabled.", wire.AlreadyEnabled},
		{routeSetup, 400, "2FA is already enabled. Disable it first to reconfigure.", wire.AlreadyEnabled},
		{routeRegenerate, 400, "Invalid authentication code.", wire.InvalidCode},
		{routeRegenerate, 400, "2FA is not enabled.", wire.NotEnabled},
		{routeDisable, 400, "Too many failed 2FA attempts. Try again in 12 seconds.", wire.LockedOut},
		{routeDisable, 400, "This code has already been used. Wait for a new code.", wire.CodeReused},
		{routeDisable, 400, "Invalid backup code.", wire.InvalidCode},
		{routeDisable, 400, "2FA is not enabled for this user.", wire.NotEnabled},
		{routeStatus, 401, "Not authenticated", wire.Unauthorized},
		{routeStatus, 401, "Two-factor authentication required. Complete 2FA verification to obtain a session token.", wire.Unauthorized},
		{routeRefresh, 401, "Could not decode token: 401: Two-factor authentication required. Complete 2FA verification to obtain a session token.", wire.Unauthorized},
		{routeStatus, 401, "Expired signature", wire.Unauthorized},
		{routeStatus, 401, "User not found", wire.Unauthorized},
		{routeStatus, 403, "Not authenticated", wire.Unauthorized},
		{routeAdminReset, 403, "Insufficient permissions. Required one of: admin", wire.Forbidden},
		{routeAdminReset, 404, "User 7 not found", ""},
		{routeSetup, 500, "Internal Server Error", ""},
		{routeSetup, 422, "Missing data for required field.", ""},
		{routeStatus, 429, "slow down", wire.LockedOut},
		{routeValidate, 429, "Too many failed 2FA attempts.", wire.LockedOut},
		{routeToken, 429, "slow down", wire.Throttled},
		{routeCustomerToken, 429, "", wire.Throttled},
		{routeSetup, 429, "Too many failed sign-in attempts. Try again in 9 seconds.", wire.Throttled},
	}
	for _, tt := range tests {
		if got := classify(tt.rt, tt.status, tt.sentence); got != tt.want {
			t.Errorf("classify(%d, %d, %q) = %q, want %q", tt.rt, tt.status, tt.sentence, got, tt.want)
		}
	}
}

func TestTokenExpiry(t *testing.T) {
	enc := func(s string) string { return base64.RawURLEncoding.EncodeToString([]byte(s)) }
	head := enc(`{"alg":"HS256","typ":"JWT"}`)
	tests := []struct {
		token string
		want  time.Time
		ok    bool
	}{
		{head + "." + enc(`{"sub":"a","exp":1893553445}`) + ".sig", time.Unix(1893553445, 0), true},
		{head + "." + enc(`{"exp":1893553445.7}`) + ".x", time.Unix(1893553445, 0), true},
		{head + "." + enc(`{"sub":"a"}`) + ".sig", time.Time{}, false},
		{head + "." + enc(`{"exp":"soon"}`) + ".sig", time.Time{}, false},
		{head + "." + enc(`{"exp":-5}`) + ".sig", time.Time{}, false},
		{head + "." + enc(`{"exp":1e300}`) + ".sig", time.Time{}, false},
		{"opaque-session-token", time.Time{}, false},
		{"a.b!.c", time.Time{}, false},
	}
	for _, tt := range tests {
		got, ok := TokenExpiry(tt.token)
		if ok != tt.ok || !got.Equal(tt.want) {
			t.Errorf("TokenExpiry(%q) = %v, %v; want %v, %v", tt.token, got, ok, tt.want, tt.ok)
		}
	}
}

func TestRetryAfter(t *testing.T) {
	now := time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		header, detail string
		want           time.Duration
	}{
		{"30", "", 30 * time.Second},
		{"", "Too many failed 2FA attempts. Try again in 899 seconds.", 899 * time.Second},
		{"45", "Try again in 899 seconds.", 45 * time.Second},
		{now.Add(90 * time.Second).Format(http.TimeFormat), "", 90 * time.Second},
		{now.Add(-time.Minute).Format(http.TimeFormat), "", 0},
		{"soon", "", 0},
		{"", "try again later", 0},
		{"", "Too many failed 2FA attempts. Try again in 0 seconds.", time.Second},
		{"86400", "", 24 * time.Hour},
		{"86401", "", 0},
		{"99999999999999999999", "", 0},
		{"", "Try again in 9999999999 seconds.", 0},
		{now.Add(48 * time.Hour).Format(http.TimeFormat), "", 0},
	}
	for _, tt := range tests {
		if got := retryAfter(tt.header, tt.detail, now); got != tt.want {
			t.Errorf("retryAfter(%q, %q) = %v, want %v", tt.header, tt.detail, got, tt.want)
		}
	}
}
