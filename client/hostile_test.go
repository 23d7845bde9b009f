package client

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"reflect"
	"strings"
	"testing"

	"github.com/twofa/twofa/internal/harness/hostile"
	"github.com/twofa/twofa/internal/safetext"
)

// secret is a base32 TOTP secret for the hostile answers.
const secret = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"

// hostileAPI answers every route like the reference server would, with
// hostile.Text in every text field (the otpauth URI's issuer and account
// label too, percent-encoded), and refuses /2fa/validate with a hostile
// sentence and no code, so the sentence itself is what a screen shows.
func hostileAPI(t *testing.T) *httptest.Server {
	text := hostile.Text("x")
	issuer, account := hostile.Text("Evil"), hostile.Text("alice")
	otpauth := (&url.URL{Scheme: "otpauth", Host: "totp", Path: "/" + issuer + ":" + account,
		RawQuery: url.Values{"secret": {secret}, "issuer": {issuer}}.Encode()}).String()
	answers := map[string]any{
		"POST /api/auth/token":     map[string]any{"access_token": "tok", "token_type": "bearer\x1b]0;x\x07"},
		"GET /api/auth/refresh":    map[string]any{"access_token": "tok2", "token_type": "bearer"},
		"GET /api/auth/2fa/status": map[string]any{"enabled": true, "message": text, "success": true},
		"GET /api/auth/me": map[string]any{"id": 7, "username": text, "role": text, "has_password": true,
			"two_factor": map[string]any{"enabled": true, "backup_codes_remaining": 9, "backup_codes_total": 10}},
		"GET /api/health": map[string]any{"status": text, "version": text},
		"POST /api/auth/2fa/setup": map[string]any{"secret": secret, "otpauth_url": otpauth,
			"backup_codes": []string{"UCAQU5CUV9", "P9T8R-F49T1"}, "message": text},
		"POST /api/auth/2fa/verify-setup":            map[string]any{"message": text, "success": true, "other_sessions_revoked": 2},
		"POST /api/auth/2fa/backup-codes/regenerate": map[string]any{"backup_codes": []string{"UCAQU5CUV9"}, "message": text, "success": true, "other_sessions_revoked": 3},
		"DELETE /api/auth/2fa/disable":               map[string]any{"message": text, "success": true, "other_sessions_revoked": 1},
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		if r.URL.Path == "/api/auth/2fa/validate" {
			w.WriteHeader(http.StatusBadRequest)
			_ = json.NewEncoder(w).Encode(map[string]any{"success": false, "message": text})
			return
		}
		a, ok := answers[r.Method+" "+r.URL.Path]
		if !ok {
			w.WriteHeader(http.StatusNotFound)
			_, _ = w.Write([]byte(`{"detail":"Not Found"}`))
			return
		}
		_ = json.NewEncoder(w).Encode(a)
	}))
	t.Cleanup(srv.Close)
	return srv
}

// expectClean fails for any string reachable from v that is not one
// clean line.
func expectClean(t *testing.T, what string, v any) {
	t.Helper()
	got := map[string]string{}
	stringsIn(reflect.ValueOf(v), what, got)
	for path, s := range got {
		if leaks := hostile.Leaks([]byte(s)); len(leaks) > 0 || !safetext.IsLine(s) {
			t.Errorf("%s = %q leaks %v", path, s, leaks)
		}
	}
}

// TestHostileServerEveryRoute: every method of the client, against a
// server that hides every sequence in every text field, returns only
// clean text — the sequences gone, the text around them kept.
func TestHostileServerEveryRoute(t *testing.T) {
	srv := hostileAPI(t)
	c, tokens := newAgainst(t, srv.URL)
	ctx := context.Background()
	login, err := c.Login(ctx, "alice", "pw")
	if err != nil {
		t.Fatal(err)
	}
	expectClean(t, "Login", login)
	tokens.Set(login.AccessToken)
	results := map[string]func() (any, error){
		"Refresh":     func() (any, error) { return c.Refresh(ctx) },
		"TwoFAStatus": func() (any, error) { return c.TwoFAStatus(ctx) },
		"Me":          func() (any, error) { return c.Me(ctx) },
		"Health":      func() (any, error) { return c.Health(ctx) },
		"Setup":       func() (any, error) { return c.Setup(ctx, "pw") },
		"VerifySetup": func() (any, error) { return c.VerifySetup(ctx, "123456") },
		"Regenerate":  func() (any, error) { return c.RegenerateBackupCodes(ctx, "123456") },
		"DisableTOTP": func() (any, error) { return c.DisableTOTP(ctx, "123456") },
	}
	for name, call := range results {
		res, err := call()
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		expectClean(t, name, res)
	}
	me, _ := c.Me(ctx)
	for _, m := range hostile.Markers() {
		if !strings.Contains(me.Username, m) {
			t.Fatalf("Me.Username %q lost %s: dropped instead of cleaned", me.Username, m)
		}
	}
	regen, _ := c.RegenerateBackupCodes(ctx, "123456")
	changed, _ := c.VerifySetup(ctx, "123456")
	if regen.OtherSessionsRevoked != 3 || changed.OtherSessionsRevoked != 2 {
		t.Errorf("other_sessions_revoked: regenerate %d, verify-setup %d; want 3, 2", regen.OtherSessionsRevoked, changed.OtherSessionsRevoked)
	}

	_, err = c.ValidateTOTP(ctx, "pending", "123456")
	var api *APIError
	if !errors.As(err, &api) || api.Detail != safetext.Line(hostile.Text("x")) || strings.ContainsAny(err.Error(), "\x1b\x07") {
		t.Fatalf("validate: %v", err)
	}
}

// TestHostileOTPAuthLabel: the issuer and account of a hostile otpauth URI
// arrive cleaned, and the URI the QR code will encode is rebuilt from them
// with the server's secret, so the phone gets no hidden text either.
func TestHostileOTPAuthLabel(t *testing.T) {
	srv := hostileAPI(t)
	c, tokens := newAgainst(t, srv.URL)
	tokens.Set("tok")
	res, err := c.Setup(context.Background(), "pw")
	if err != nil {
		t.Fatal(err)
	}
	if res.Issuer != safetext.Line(hostile.Text("Evil")) || res.Account != safetext.Line(hostile.Text("alice")) {
		t.Fatalf("Issuer %q, Account %q", res.Issuer, res.Account)
	}
	u, err := url.Parse(res.OTPAuthURL)
	if err != nil || !safetext.Visible(res.OTPAuthURL) {
		t.Fatalf("OTPAuthURL %q: %v", res.OTPAuthURL, err)
	}
	q := u.Query()
	if u.Path != "/"+res.Issuer+":"+res.Account || q.Get("issuer") != res.Issuer || q.Get("secret") != secret ||
		q.Has("algorithm") || q.Has("digits") || q.Has("period") {
		t.Fatalf("rebuilt URI %q", res.OTPAuthURL)
	}
}

// setupAnswer is a setup answer with the given secret and otpauth URI.
func setupAnswer(secret, otpauth string, codes []string) string {
	b, _ := json.Marshal(map[string]any{"secret": secret, "otpauth_url": otpauth, "backup_codes": codes, "message": "ok"})
	return string(b)
}

// TestSetupChecks: what a setup answer must be, that a clean URI is kept
// exactly as the server wrote it (CoPilot's and the reference server's
// alike), and that one naming the defaults (SHA1, 6 digits, 30 s) or a
// lower-case secret is rebuilt in the shortest form, its secret, issuer
// and account unchanged.
func TestSetupChecks(t *testing.T) {
	const (
		copilotURI = "otpauth://totp/CoPilot:alice?secret=" + secret + "&issuer=CoPilot"
		refURI     = "otpauth://totp/twofa:demo?issuer=twofa&secret=" + secret
		longURI    = "otpauth://totp/twofa:demo?algorithm=SHA1&digits=6&issuer=twofa&period=30&secret=" + secret
	)
	codes := []string{"UCAQU5CUV9"}
	tests := []struct {
		name        string
		secret, uri string
		codes       []string
		field       string
		problem     FieldProblem
		keep        bool   // the URI comes back unchanged
		rebuilt     string // else, when set, the URI that comes back
		issuer      string
		account     string
	}{
		{name: "CoPilot", secret: secret, uri: copilotURI, keep: true, issuer: "CoPilot", account: "alice"},
		{name: "reference server", secret: secret, uri: refURI, keep: true, issuer: "twofa", account: "demo"},
		{name: "defaults named", secret: secret, uri: longURI, rebuilt: refURI, issuer: "twofa", account: "demo"},
		{name: "defaults named in another case", secret: secret, uri: "otpauth://totp/twofa:demo?algorithm=sha1&digits=6&period=30&secret=" + secret, rebuilt: refURI, issuer: "twofa", account: "demo"},
		{name: "lower-case secret in the URI", secret: secret, uri: "otpauth://totp/twofa:demo?issuer=twofa&secret=" + strings.ToLower(secret), rebuilt: refURI, issuer: "twofa", account: "demo"},
		{name: "no issuer", secret: secret, uri: "otpauth://totp/bob?secret=" + secret, keep: true, account: "bob"},
		{name: "issuer only in the label", secret: secret, uri: "otpauth://totp/Acme:bob?secret=" + secret, keep: true, issuer: "Acme", account: "bob"},
		{name: "lower-case padded secret", secret: strings.ToLower(secret) + "====", uri: copilotURI, keep: true, issuer: "CoPilot", account: "alice"},
		{name: "unknown parameter dropped", secret: secret, uri: copilotURI + "&image=https%3A%2F%2Fevil.example%2Fx.png", issuer: "CoPilot", account: "alice"},
		{name: "spaces around the account", secret: secret, uri: "otpauth://totp/Acme:%20bob%20?secret=" + secret, issuer: "Acme", account: "bob"},
		{name: "no secret", uri: copilotURI, field: "secret", problem: FieldMissing},
		{name: "secret not base32", secret: "JBSWY3DPEHPK3PX1", uri: copilotURI, field: "secret", problem: FieldNotBase32},
		{name: "secret too short", secret: "JBSWY3DP", uri: "otpauth://totp/a?secret=JBSWY3DP", field: "secret", problem: FieldNotBase32},
		{name: "secret with an escape", secret: "JBSWY3DP\x1b[2JEHPK3PXP", uri: copilotURI, field: "secret", problem: FieldNotPlain},
		{name: "no URI", secret: secret, field: "otpauth_url", problem: FieldMissing},
		{name: "URI with a raw escape", secret: secret, uri: copilotURI + "\x1b]0;x\x07", field: "otpauth_url", problem: FieldNotPlain},
		{name: "not otpauth", secret: secret, uri: "https://evil.example/?secret=" + secret, field: "otpauth_url", problem: FieldNotTOTPURI},
		{name: "HOTP", secret: secret, uri: "otpauth://hotp/a?secret=" + secret + "&counter=1", field: "otpauth_url", problem: FieldNotTOTPURI},
		{name: "no account", secret: secret, uri: "otpauth://totp/Acme:?secret=" + secret, field: "otpauth_url", problem: FieldNotTOTPURI},
		{name: "another secret", secret: secret, uri: "otpauth://totp/a?secret=AAAAAAAAAAAAAAAA", field: "otpauth_url", problem: FieldMismatch},
		{name: "SHA256", secret: secret, uri: copilotURI + "&algorithm=SHA256", field: "otpauth_url", problem: FieldUnsupported},
		{name: "8 digits", secret: secret, uri: copilotURI + "&digits=8", field: "otpauth_url", problem: FieldUnsupported},
		{name: "60 seconds", secret: secret, uri: copilotURI + "&period=60", field: "otpauth_url", problem: FieldUnsupported},
		{name: "issuer too long", secret: secret, uri: "otpauth://totp/a?issuer=" + strings.Repeat("x", MaxNameLen+1) + "&secret=" + secret, field: "otpauth_url", problem: FieldTooLong},
		{name: "rebuilt URI too long", secret: secret, uri: "otpauth://totp/" + strings.Repeat("%E5%B1%B1", 100) +
			"?issuer=" + strings.Repeat("%E5%B1%B1", 100) + "&secret=" + secret + "&x=1", field: "otpauth_url", problem: FieldTooLong},
		{name: "empty code", secret: secret, uri: copilotURI, codes: []string{"A", ""}, field: "backup_codes[1]", problem: FieldMissing},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			list := tt.codes
			if list == nil {
				list = codes
			}
			srv := httptest.NewServer(canned{status: 200, ctype: "application/json", body: setupAnswer(tt.secret, tt.uri, list)})
			defer srv.Close()
			c, tokens := newAgainst(t, srv.URL)
			tokens.Set("tok")
			res, err := c.Setup(context.Background(), "pw")
			if tt.field != "" {
				expectBadField(t, err, tt.field, tt.problem)
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if (res.OTPAuthURL == tt.uri) != tt.keep || tt.rebuilt != "" && res.OTPAuthURL != tt.rebuilt || res.Issuer != tt.issuer || res.Account != tt.account {
				t.Fatalf("URI %q (kept %v, want %v), issuer %q, account %q", res.OTPAuthURL, res.OTPAuthURL == tt.uri, tt.keep, res.Issuer, res.Account)
			}
		})
	}
}

// expectBadField fails unless err is a bad response refusing field for problem.
func expectBadField(t *testing.T, err error, field string, problem FieldProblem) {
	t.Helper()
	var tr *TransportError
	var b *BadResponse
	if !errors.As(err, &tr) || tr.Kind != KindBadResponse || !errors.As(err, &b) || b.Field == nil ||
		b.Field.Field != field || b.Field.Problem != problem {
		t.Fatalf("err = %v, want a bad response refusing %s (problem %d)", err, field, problem)
	}
}

// TestBackupCodeBounds: 32 codes of 64 characters are taken; one more
// code, one more character, a code that cannot be typed or 60,000 codes
// are refused whole, never cut down to what fits.
func TestBackupCodeBounds(t *testing.T) {
	many := func(n int, code string) []string {
		out := make([]string, n)
		for i := range out {
			out[i] = code
		}
		return out
	}
	long := strings.Repeat("A", MaxBackupCodeLen)
	tests := []struct {
		name    string
		codes   []string
		field   string
		problem FieldProblem
	}{
		{"32 of 64 characters", many(MaxBackupCodes, long), "", 0},
		{"33 codes", many(MaxBackupCodes+1, "UCAQU5CUV9"), "backup_codes", FieldTooMany},
		{"60000 codes", many(60000, "UCAQU5CUV9"), "backup_codes", FieldTooMany},
		{"65 characters", []string{"A", long + "B"}, "backup_codes[1]", FieldTooLong},
		{"escape sequence", []string{"UCAQU\x1b]52;c;eA==\x07"}, "backup_codes[0]", FieldNotPlain},
		{"C1 CSI", []string{"UCAQU\u009b6n"}, "backup_codes[0]", FieldNotPlain},
		{"bidi override", []string{"UCAQU\u202e5CUV9"}, "backup_codes[0]", FieldNotPlain},
		{"space", []string{"UCAQU 5CUV9"}, "backup_codes[0]", FieldNotPlain},
		{"none", []string{}, "backup_codes", FieldMissing},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, _ := json.Marshal(map[string]any{"backup_codes": tt.codes, "message": "ok"})
			srv := httptest.NewServer(canned{status: 200, ctype: "application/json", body: string(b)})
			defer srv.Close()
			c, tokens := newAgainst(t, srv.URL)
			tokens.Set("tok")
			res, err := c.RegenerateBackupCodes(context.Background(), "123456")
			if tt.field == "" {
				if err != nil || len(res.BackupCodes) != len(tt.codes) {
					t.Fatalf("err = %v", err)
				}
				return
			}
			expectBadField(t, err, tt.field, tt.problem)
		})
	}
}

// TestOtherSessionsRevoked: the [ext] count is read where the server sends
// it, 0 where it does not (CoPilot), and a count out of range is refused.
func TestOtherSessionsRevoked(t *testing.T) {
	for _, tt := range []struct {
		body string
		want int
		bad  bool
	}{
		{`{"message":"Two-factor authentication has been disabled. 4 other sessions were signed out.","success":true,"other_sessions_revoked":4}`, 4, false},
		{`{"message":"2FA disabled","success":true}`, 0, false},
		{`{"message":"x","success":true,"other_sessions_revoked":-1}`, 0, true},
		{`{"message":"x","success":true,"other_sessions_revoked":99999999}`, 0, true},
	} {
		srv := httptest.NewServer(canned{status: 200, ctype: "application/json", body: tt.body})
		c, tokens := newAgainst(t, srv.URL)
		tokens.Set("tok")
		res, err := c.DisableTOTP(context.Background(), "123456")
		srv.Close()
		switch {
		case tt.bad:
			expectBadField(t, err, "other_sessions_revoked", FieldOutOfRange)
		case err != nil || res.OtherSessionsRevoked != tt.want:
			t.Errorf("%s: %v, %+v", tt.body, err, res)
		}
	}
}

// TestDebugLogEscapesServerText: the --debug log (which may be stderr)
// shows what a hostile server sent, escaped, so nothing in it acts.
func TestDebugLogEscapesServerText(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("X-Evil", "a\u009b6n\u202eb")
		b, _ := json.Marshal(map[string]string{"status": hostile.Text("ok"), "version": "\u009d0;x\u009c"})
		_, _ = w.Write(b)
	}))
	defer srv.Close()
	var log bytes.Buffer
	c, err := New(Options{Server: srv.URL, Debug: &log})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Health(context.Background()); err != nil {
		t.Fatal(err)
	}
	out := log.Bytes()
	if leaks := hostile.Leaks(out); len(leaks) > 0 || bytes.ContainsAny(out, "\x1b\x07\b") {
		t.Fatalf("the debug log leaks %v:\n%q", leaks, out)
	}
	if !bytes.Contains(out, []byte(`\u001b]0;PWNED\u0007`)) || !bytes.Contains(out, []byte(`X-Evil: a\u009b6n\u202eb`)) {
		t.Fatalf("the debug log does not show what was sent, escaped:\n%s", out)
	}
}
