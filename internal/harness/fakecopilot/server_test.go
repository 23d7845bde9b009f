package fakecopilot_test

import (
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"
	"github.com/twofa/twofa/internal/harness/fakecopilot"
	"github.com/twofa/twofa/internal/harness/testclock"
)

// These tests hold the fake to api.md's CoPilot facts over plain HTTP,
// without twofa's client, so the fake cannot share the client's guesses.

type env struct {
	t   *testing.T
	clk *testclock.Clock
	srv *fakecopilot.Server
	url string
}

func newEnv(t *testing.T) *env {
	clk := testclock.New(time.Date(2030, 1, 2, 10, 0, 5, 0, time.UTC))
	srv := fakecopilot.New(clk.Now)
	hs := httptest.NewServer(srv)
	t.Cleanup(hs.Close)
	return &env{t: t, clk: clk, srv: srv, url: hs.URL}
}

// answer is a decoded JSON response.
type answer struct {
	status int
	header http.Header
	body   map[string]any
}

func (a answer) str(k string) string { s, _ := a.body[k].(string); return s }

// refused checks CoPilot's error body: exactly success=false and message.
func (a answer) refused(t *testing.T, status int, message string) {
	t.Helper()
	if a.status != status || a.body["success"] != false || a.str("message") != message || len(a.body) != 2 {
		t.Fatalf("got %d %v, want %d {success: false, message: %q}", a.status, a.body, status, message)
	}
}

func (e *env) do(method, path, token, ctype, body string) answer {
	e.t.Helper()
	req, err := http.NewRequest(method, e.url+path, strings.NewReader(body))
	if err != nil {
		e.t.Fatal(err)
	}
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	a := answer{status: resp.StatusCode, header: resp.Header, body: map[string]any{}}
	if err := json.NewDecoder(resp.Body).Decode(&a.body); err != nil {
		e.t.Fatalf("%s %s: body is not a JSON object: %v", method, path, err)
	}
	if resp.StatusCode == http.StatusTooManyRequests || resp.Header.Get("Retry-After") != "" {
		e.t.Fatalf("%s %s answered 429/Retry-After: CoPilot never does", method, path)
	}
	return a
}

func (e *env) json(method, path, token string, v any) answer {
	e.t.Helper()
	b, _ := json.Marshal(v)
	return e.do(method, path, token, "application/json", string(b))
}

func (e *env) login(route, user, pass string) answer {
	e.t.Helper()
	form := url.Values{"username": {user}, "password": {pass}}.Encode()
	return e.do(http.MethodPost, route, "", "application/x-www-form-urlencoded", form)
}

func (e *env) code(secret string, offset time.Duration) string {
	e.t.Helper()
	c, err := totp.GenerateCodeCustom(secret, e.clk.Now().Add(offset), totp.ValidateOpts{Period: 30, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1})
	if err != nil {
		e.t.Fatal(err)
	}
	return c
}

// claims decodes a JWT's payload without checking it.
func claims(t *testing.T, tok string) map[string]any {
	t.Helper()
	parts := strings.Split(tok, ".")
	if len(parts) != 3 {
		t.Fatalf("token %q is not a JWT", tok)
	}
	raw, err := base64.RawURLEncoding.DecodeString(parts[1])
	var c map[string]any
	if err != nil || json.Unmarshal(raw, &c) != nil {
		t.Fatalf("JWT payload unreadable: %v", err)
	}
	return c
}

// enable signs user in and turns 2FA on; it returns the secret and codes.
func (e *env) enable(user, pass string) (string, []string) {
	e.t.Helper()
	tok := e.login("/api/auth/token", user, pass).str("access_token")
	setup := e.do(http.MethodPost, "/api/auth/2fa/setup", tok, "", "")
	if setup.status != 200 {
		e.t.Fatalf("setup: %d %v", setup.status, setup.body)
	}
	var codes []string
	for _, c := range setup.body["backup_codes"].([]any) {
		codes = append(codes, c.(string))
	}
	secret := setup.str("secret")
	if v := e.json(http.MethodPost, "/api/auth/2fa/verify-setup", tok, map[string]string{"code": e.code(secret, 0)}); v.status != 200 {
		e.t.Fatalf("verify-setup: %d %v", v.status, v.body)
	}
	return secret, codes
}

func TestFrameworkAnswersAndMissingExtensions(t *testing.T) {
	e := newEnv(t)
	for _, path := range []string{"/api/auth/me", "/api/auth/logout", "/api/health", "/api/nope"} {
		if a := e.do(http.MethodGet, path, "", "", ""); a.status != 404 || a.str("detail") != "Not Found" || len(a.body) != 1 {
			t.Errorf("GET %s = %d %v, want 404 {detail: Not Found}", path, a.status, a.body)
		}
	}
	if a := e.do(http.MethodGet, "/api/auth/token", "", "", ""); a.status != 405 || a.str("detail") != "Method Not Allowed" {
		t.Errorf("GET /token = %d %v, want 405", a.status, a.body)
	}
	if a := e.do(http.MethodPost, "/api/auth/2fa/disable", "", "", ""); a.status != 405 {
		t.Errorf("POST /2fa/disable = %d, want 405", a.status)
	}
}

func TestSignInAnswers(t *testing.T) {
	e := newEnv(t)
	e.srv.AddUser("alice", "pw-alice", fakecopilot.RoleAnalyst)
	e.srv.AddUser("carol", "pw-carol", fakecopilot.RoleCustomerUser)

	e.login("/api/auth/token", "alice", "wrong").refused(t, 401, "Incorrect username or password")
	e.login("/api/auth/token", "nobody", "pw").refused(t, 401, "Incorrect username or password")
	a := e.do(http.MethodPost, "/api/auth/token", "", "application/x-www-form-urlencoded", "username=alice")
	if a.status != 422 || a.str("message") != "Missing data for required field." {
		t.Fatalf("form without password = %d %v", a.status, a.body)
	}
	details := a.body["details"].([]any)
	if d := details[0].(map[string]any); d["field"] != "password" || d["error_type"] != "missing" || len(details) != 1 {
		t.Fatalf("422 details = %v", details)
	}

	ok := e.login("/api/auth/token", "alice", "pw-alice")
	c := claims(t, ok.str("access_token"))
	if ok.status != 200 || ok.str("token_type") != "bearer" || ok.body["requires_2fa"] != nil {
		t.Fatalf("sign-in = %d %v", ok.status, ok.body)
	}
	if exp := int64(c["exp"].(float64)); exp != e.clk.Now().Add(24*time.Hour).Unix() || c["sub"] != "alice" {
		t.Fatalf("session claims = %v, want exp in 24 h", c)
	}

	// customer_user: refused at the main route, signed in at its own.
	e.login("/api/auth/token", "carol", "pw-carol").refused(t, 403,
		"This account is registered for the Customer Portal only. Please log in at the Customer Portal to access your account.")
	if a := e.login("/api/auth/token/customer-portal", "carol", "pw-carol"); a.status != 200 || a.str("access_token") == "" {
		t.Fatalf("customer portal sign-in = %d %v", a.status, a.body)
	}
	e.login("/api/auth/token/customer-portal", "alice", "pw-alice").refused(t, 403, "This account does not have access to the Customer Portal.")
	e.login("/api/auth/token/customer-portal", "carol", "nope").refused(t, 401, "Incorrect username or password")
}

func TestSessionChecks(t *testing.T) {
	e := newEnv(t)
	e.srv.AddUser("alice", "pw", fakecopilot.RoleAnalyst)
	e.do(http.MethodGet, "/api/auth/2fa/status", "", "", "").refused(t, 401, "Not authenticated")
	e.do(http.MethodGet, "/api/auth/refresh", "", "", "").refused(t, 401, "Not authenticated")
	e.do(http.MethodGet, "/api/auth/2fa/status", "not-a-jwt", "", "").refused(t, 401, "Invalid token")
	tok := e.login("/api/auth/token", "alice", "pw").str("access_token")
	if a := e.do(http.MethodGet, "/api/auth/2fa/status", tok, "", ""); a.status != 200 || a.body["enabled"] != false || a.body["success"] != true {
		t.Fatalf("status = %d %v", a.status, a.body)
	}
	fresh := e.do(http.MethodGet, "/api/auth/refresh", tok, "", "")
	if fresh.status != 200 || fresh.str("access_token") == "" {
		t.Fatalf("refresh = %d %v", fresh.status, fresh.body)
	}
	// No server-side logout: the token works until its exp, then not.
	e.clk.Advance(24*time.Hour - time.Second)
	if a := e.do(http.MethodGet, "/api/auth/2fa/status", tok, "", ""); a.status != 200 {
		t.Fatalf("token refused before its exp: %d", a.status)
	}
	e.clk.Advance(time.Second)
	e.do(http.MethodGet, "/api/auth/2fa/status", tok, "", "").refused(t, 401, "Expired signature")
	e.do(http.MethodGet, "/api/auth/refresh", tok, "", "").refused(t, 401, "Could not decode token: 401: Expired signature")
	// Malformed JSON bodies get CoPilot's 422 shape.
	tok = e.login("/api/auth/token", "alice", "pw").str("access_token")
	a := e.do(http.MethodPost, "/api/auth/2fa/verify-setup", tok, "application/json", `{"code":`)
	if a.status != 422 || a.str("message") != "Invalid JSON. Please check your JSON syntax and try again." || a.body["details"] == nil {
		t.Fatalf("bad JSON = %d %v", a.status, a.body)
	}
	a = e.json(http.MethodPost, "/api/auth/2fa/verify-setup", tok, map[string]any{"code": 123456})
	if a.status != 422 || a.str("message") != "code: Input should be a valid string" {
		t.Fatalf("number for code = %d %v", a.status, a.body)
	}
}

var backupRE = regexp.MustCompile(`^[A-Z0-9]{10}$`)

func TestEnrollmentAndSecondFactor(t *testing.T) {
	e := newEnv(t)
	e.srv.AddUser("alice", "pw", fakecopilot.RoleAnalyst)
	tok := e.login("/api/auth/token", "alice", "pw").str("access_token")
	e.json(http.MethodPost, "/api/auth/2fa/verify-setup", tok, map[string]string{"code": "123456"}).refused(t, 400, "No 2FA setup found. Call setup first.")
	setup := e.json(http.MethodPost, "/api/auth/2fa/setup", tok, map[string]string{"password": "ignored"})
	u, _ := url.Parse(setup.str("otpauth_url"))
	if u.Path != "/CoPilot:alice" || u.Query().Get("issuer") != "CoPilot" || u.Query().Get("secret") != setup.str("secret") {
		t.Fatalf("otpauth_url = %s", setup.str("otpauth_url"))
	}
	if !strings.HasPrefix(setup.str("qr_data_uri"), "data:image/png;base64,iVBOR") {
		t.Fatalf("qr_data_uri is not a PNG data URI")
	}
	codes := setup.body["backup_codes"].([]any)
	if len(codes) != 8 {
		t.Fatalf("%d backup codes, want 8", len(codes))
	}
	for _, c := range codes {
		if !backupRE.MatchString(c.(string)) {
			t.Fatalf("backup code %q is not 10 characters of A-Z 0-9", c)
		}
	}
	secret := setup.str("secret")
	e.json(http.MethodPost, "/api/auth/2fa/verify-setup", tok, map[string]string{"code": e.code(secret, -5*time.Minute)}).
		refused(t, 400, "Invalid verification code. Check your authenticator app and device clock.")
	if v := e.json(http.MethodPost, "/api/auth/2fa/verify-setup", tok, map[string]string{"code": e.code(secret, 0)}); v.status != 200 {
		t.Fatalf("verify-setup = %d %v", v.status, v.body)
	}
	e.do(http.MethodPost, "/api/auth/2fa/setup", tok, "", "").refused(t, 400, "2FA is already enabled. Disable it first to reconfigure.")

	// The pending token: 5 minutes, refused as a session.
	p := e.login("/api/auth/token", "alice", "pw")
	pending := p.str("access_token")
	if p.body["requires_2fa"] != true || int64(claims(t, pending)["exp"].(float64)) != e.clk.Now().Add(5*time.Minute).Unix() {
		t.Fatalf("pending sign-in = %v", p.body)
	}
	e.do(http.MethodGet, "/api/auth/2fa/status", pending, "", "").refused(t, 401,
		"Two-factor authentication required. Complete 2FA verification to obtain a session token.")
	e.do(http.MethodGet, "/api/auth/refresh", pending, "", "").refused(t, 401,
		"Could not decode token: 401: Two-factor authentication required. Complete 2FA verification to obtain a session token.")
	e.json(http.MethodPost, "/api/auth/2fa/validate", "", map[string]string{"temp_token": tok, "code": e.code(secret, 0)}).refused(t, 401, "Invalid token type")

	// A second TOTP success in the window of the last one is refused, whatever step the code is for.
	validate := func(body map[string]string) answer {
		body["temp_token"] = pending
		return e.json(http.MethodPost, "/api/auth/2fa/validate", "", body)
	}
	validate(map[string]string{"code": e.code(secret, 30*time.Second)}).refused(t, 401, "This code has already been used. Wait for a new code.")
	validate(map[string]string{"code": "000000"}).refused(t, 401, "Invalid authentication code.")
	e.clk.Advance(30 * time.Second)
	if a := validate(map[string]string{"code": e.code(secret, 0)}); a.status != 200 || a.str("access_token") == "" {
		t.Fatalf("validate = %d %v", a.status, a.body)
	}
	// Not single-use: the same pending token validates again.
	e.clk.Advance(30 * time.Second)
	if a := validate(map[string]string{"code": e.code(secret, 0)}); a.status != 200 {
		t.Fatalf("pending token refused after one success: %d %v", a.status, a.body)
	}

	// Backup codes: upper-cased and trimmed only, so a dash is refused (and counted).
	first := codes[0].(string)
	validate(map[string]string{"backup_code": strings.ToLower(first[:5] + "-" + first[5:])}).refused(t, 401, "Invalid backup code.")
	if a := validate(map[string]string{"backup_code": " " + strings.ToLower(first) + " "}); a.status != 200 {
		t.Fatalf("backup code typed lower-case = %d %v", a.status, a.body)
	}
	validate(map[string]string{"backup_code": first}).refused(t, 401, "Invalid backup code.")
	validate(map[string]string{}).refused(t, 400, "Provide a TOTP code or backup code.")
	e.clk.Advance(5 * time.Minute)
	validate(map[string]string{"code": e.code(secret, 0)}).refused(t, 401, "2FA verification token has expired. Please log in again.")
}

func TestLockoutAndRegenerate(t *testing.T) {
	e := newEnv(t)
	id := e.srv.AddUser("bob", "pw", fakecopilot.RoleAnalyst)
	e.srv.AddUser("root", "pw-root", fakecopilot.RoleAdmin)
	secret, _ := e.enable("bob", "pw")
	pending := e.login("/api/auth/token", "bob", "pw").str("access_token")
	for i := 0; i < 5; i++ {
		e.json(http.MethodPost, "/api/auth/2fa/validate", "", map[string]string{"temp_token": pending, "code": "000000"}).
			refused(t, 401, "Invalid authentication code.")
		e.clk.Advance(10 * time.Second)
	}
	e.clk.Advance(41 * time.Second) // 91 s after the first failure
	e.json(http.MethodPost, "/api/auth/2fa/validate", "", map[string]string{"temp_token": pending, "code": e.code(secret, 0)}).
		refused(t, 401, "Too many failed 2FA attempts. Try again in 809 seconds.")

	root := e.login("/api/auth/token", "root", "pw-root").str("access_token")
	// The lock ends by itself; on the signed-in routes it is a 400.
	e.clk.Advance(15*time.Minute + 30*time.Second)
	fresh := e.login("/api/auth/token", "bob", "pw").str("access_token")
	session := e.json(http.MethodPost, "/api/auth/2fa/validate", "", map[string]string{"temp_token": fresh, "code": e.code(secret, 0)}).str("access_token")
	if session == "" {
		t.Fatal("no session after the lock expired")
	}
	for i := 0; i < 5; i++ {
		e.json(http.MethodPost, "/api/auth/2fa/backup-codes/regenerate", session, map[string]string{"code": "000000"}).refused(t, 400, "Invalid authentication code.")
	}
	e.json(http.MethodPost, "/api/auth/2fa/backup-codes/regenerate", session, map[string]string{"code": e.code(secret, 0)}).
		refused(t, 400, "Too many failed 2FA attempts. Try again in 900 seconds.")
	e.json(http.MethodDelete, "/api/auth/2fa/disable", session, map[string]string{"code": e.code(secret, 0)}).
		refused(t, 400, "Too many failed 2FA attempts. Try again in 900 seconds.")

	// Regenerate neither refuses nor records the step it was given.
	e.clk.Advance(15*time.Minute + 30*time.Second)
	code := e.code(secret, 0)
	if a := e.json(http.MethodPost, "/api/auth/2fa/backup-codes/regenerate", session, map[string]string{"code": code}); a.status != 200 || len(a.body["backup_codes"].([]any)) != 8 {
		t.Fatalf("regenerate = %d %v", a.status, a.body)
	}
	if a := e.json(http.MethodPost, "/api/auth/2fa/backup-codes/regenerate", session, map[string]string{"code": code}); a.status != 200 {
		t.Fatalf("regenerate with the same code again = %d %v", a.status, a.body)
	}
	if a := e.json(http.MethodPost, "/api/auth/2fa/validate", "", map[string]string{"temp_token": e.login("/api/auth/token", "bob", "pw").str("access_token"), "code": code}); a.status != 200 {
		t.Fatalf("sign-in with regenerate's code = %d %v", a.status, a.body)
	}

	// Admin reset: admins only, 404 for an unknown id.
	e.do(http.MethodDelete, "/api/auth/security/users/1/totp", session, "", "").refused(t, 403, "Insufficient permissions. Required one of: admin")
	e.do(http.MethodDelete, "/api/auth/security/users/99/totp", root, "", "").refused(t, 404, "User 99 not found")
	if a := e.do(http.MethodDelete, "/api/auth/security/users/"+strconv.FormatInt(id, 10)+"/totp", root, "", ""); a.status != 200 || a.str("message") != "Two-factor authentication has been reset." {
		t.Fatalf("admin reset = %d %v", a.status, a.body)
	}
	if a := e.login("/api/auth/token", "bob", "pw"); a.body["requires_2fa"] != nil {
		t.Fatalf("sign-in still asks for 2FA after the reset: %v", a.body)
	}
	if e.srv.Requests("/api/auth/token") == 0 {
		t.Fatal("Requests does not count")
	}
}

// TestEnroll: the seeding helper leaves what a web enrolment leaves: 2FA
// on, the window spent, eight codes as issued.
func TestEnroll(t *testing.T) {
	e := newEnv(t)
	e.srv.AddUser("frank", "pw", fakecopilot.RoleCustomerUser)
	if _, _, err := e.srv.Enroll("nobody"); err == nil {
		t.Fatal("Enroll of an unknown user succeeded")
	}
	secret, codes, err := e.srv.Enroll("frank")
	if err != nil || len(codes) != 8 {
		t.Fatalf("Enroll = %d codes, %v", len(codes), err)
	}
	p := e.login("/api/auth/token/customer-portal", "frank", "pw")
	if p.body["requires_2fa"] != true {
		t.Fatalf("sign-in after Enroll = %v", p.body)
	}
	e.json(http.MethodPost, "/api/auth/2fa/validate", "", map[string]string{"temp_token": p.str("access_token"), "code": e.code(secret, 0)}).
		refused(t, 401, "This code has already been used. Wait for a new code.")
	if a := e.json(http.MethodPost, "/api/auth/2fa/validate", "", map[string]string{"temp_token": p.str("access_token"), "backup_code": codes[7]}); a.status != 200 {
		t.Fatalf("backup code from Enroll = %d %v", a.status, a.body)
	}
}
