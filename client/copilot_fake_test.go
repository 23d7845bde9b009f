package client

import (
	"crypto/rand"
	"encoding/base32"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"
)

// fakeCoPilot answers exactly what a stock SOCFortress CoPilot answers on the
// 2FA routes (statuses and detail sentences of its routes/totp.py and
// services/totp.py, as api.md describes), and nothing of the [ext] routes:
// no code field, no 429, no /me, /logout or /health.
type fakeCoPilot struct {
	mu       sync.Mutex
	now      time.Time
	users    map[string]*fakeUser
	sessions map[string]string // session token → username
	pending  map[string]fakePending
	fails    map[string]fakeFails
	requests int
}

type fakeUser struct {
	id       int64
	password string
	admin    bool
	secret   string
	enabled  bool
	backup   map[string]bool // code → used
	last     int64           // last accepted counter, -1 none
}

type fakePending struct {
	user    string
	expires time.Time
}

type fakeFails struct {
	count int
	first time.Time
}

var totpOpts = totp.ValidateOpts{Period: 30, Skew: 1, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1}

func newFakeCoPilot(t *testing.T) *fakeCoPilot {
	t.Helper()
	return &fakeCoPilot{
		now:      time.Date(2030, 1, 2, 3, 4, 0, 0, time.UTC),
		users:    map[string]*fakeUser{},
		sessions: map[string]string{},
		pending:  map[string]fakePending{},
		fails:    map[string]fakeFails{},
	}
}

func (f *fakeCoPilot) addUser(name, password string, admin bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.users[name] = &fakeUser{id: int64(len(f.users) + 1), password: password, admin: admin, last: -1}
}

func (f *fakeCoPilot) advance(d time.Duration) {
	f.mu.Lock()
	f.now = f.now.Add(d)
	f.mu.Unlock()
}

func (f *fakeCoPilot) clock() time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.now
}

// code returns the TOTP code for secret at the fake's clock plus offset.
func (f *fakeCoPilot) code(t *testing.T, secret string, offset time.Duration) string {
	t.Helper()
	c, err := totp.GenerateCodeCustom(secret, f.clock().Add(offset), totpOpts)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func randToken() string {
	b := make([]byte, 20)
	_, _ = rand.Read(b)
	return base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(b)
}

func detail(w http.ResponseWriter, status int, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]string{"detail": msg})
}

func reply(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(v)
}

// ServeHTTP routes like FastAPI: unknown path 404, wrong method 405, both JSON.
func (f *fakeCoPilot) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.requests++
	w.Header().Set("Date", f.now.Format(http.TimeFormat))
	type handler func(http.ResponseWriter, *http.Request)
	routes := map[string]map[string]handler{
		"/api/auth/token":                       {"POST": f.token},
		"/api/auth/refresh":                     {"GET": f.refresh},
		"/api/auth/2fa/status":                  {"GET": f.status},
		"/api/auth/2fa/setup":                   {"POST": f.setup},
		"/api/auth/2fa/verify-setup":            {"POST": f.verifySetup},
		"/api/auth/2fa/validate":                {"POST": f.validate},
		"/api/auth/2fa/disable":                 {"DELETE": f.disable},
		"/api/auth/2fa/backup-codes/regenerate": {"POST": f.regenerate},
	}
	path := r.URL.Path
	if strings.HasPrefix(path, "/api/auth/security/users/") && strings.HasSuffix(path, "/totp") {
		routes[path] = map[string]handler{"DELETE": f.adminReset}
	}
	methods, ok := routes[path]
	if !ok {
		detail(w, http.StatusNotFound, "Not Found")
		return
	}
	h, ok := methods[r.Method]
	if !ok {
		detail(w, http.StatusMethodNotAllowed, "Method Not Allowed")
		return
	}
	h(w, r)
}

// sessionUser mimics AuthHandler: HTTPBearer's 403 when the header is
// missing, "Could not decode token: " / "Two-factor authentication required…"
// for a pending token, "Invalid token" for anything else unknown.
func (f *fakeCoPilot) sessionUser(w http.ResponseWriter, r *http.Request, pendingMsg string) (*fakeUser, bool) {
	h := r.Header.Get("Authorization")
	if !strings.HasPrefix(h, "Bearer ") {
		detail(w, http.StatusForbidden, "Not authenticated")
		return nil, false
	}
	tok := strings.TrimPrefix(h, "Bearer ")
	if _, ok := f.pending[tok]; ok {
		detail(w, http.StatusUnauthorized, pendingMsg)
		return nil, false
	}
	name, ok := f.sessions[tok]
	if !ok {
		detail(w, http.StatusUnauthorized, "Invalid token")
		return nil, false
	}
	return f.users[name], true
}

const pendingAtStatus = "Two-factor authentication required. Complete 2FA verification first."

func (f *fakeCoPilot) token(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		detail(w, http.StatusUnprocessableEntity, "bad form")
		return
	}
	u, ok := f.users[r.PostForm.Get("username")]
	if !ok || u.password != r.PostForm.Get("password") {
		detail(w, http.StatusUnauthorized, "Incorrect username or password")
		return
	}
	tok := randToken()
	if u.enabled {
		f.pending[tok] = fakePending{user: r.PostForm.Get("username"), expires: f.now.Add(5 * time.Minute)}
		reply(w, map[string]any{"access_token": tok, "token_type": "bearer", "requires_2fa": true})
		return
	}
	f.sessions[tok] = r.PostForm.Get("username")
	reply(w, map[string]any{"access_token": tok, "token_type": "bearer"})
}

func (f *fakeCoPilot) refresh(w http.ResponseWriter, r *http.Request) {
	u, ok := f.sessionUser(w, r, "Could not decode token: ")
	if !ok {
		return
	}
	tok := randToken()
	f.sessions[tok] = f.nameOf(u)
	reply(w, map[string]any{"access_token": tok, "token_type": "bearer"})
}

func (f *fakeCoPilot) nameOf(u *fakeUser) string {
	for n, v := range f.users {
		if v == u {
			return n
		}
	}
	return ""
}

func (f *fakeCoPilot) status(w http.ResponseWriter, r *http.Request) {
	u, ok := f.sessionUser(w, r, pendingAtStatus)
	if !ok {
		return
	}
	reply(w, map[string]any{"enabled": u.enabled, "message": "", "success": true})
}

func (f *fakeCoPilot) setup(w http.ResponseWriter, r *http.Request) {
	u, ok := f.sessionUser(w, r, pendingAtStatus)
	if !ok {
		return
	}
	if u.enabled {
		detail(w, http.StatusBadRequest, "2FA is already enabled. Disable it first to reconfigure.")
		return
	}
	key, err := totp.Generate(totp.GenerateOpts{Issuer: "CoPilot", AccountName: f.nameOf(u)})
	if err != nil {
		detail(w, http.StatusInternalServerError, err.Error())
		return
	}
	u.secret = key.Secret()
	u.backup = map[string]bool{}
	codes := make([]string, 8)
	for i := range codes {
		codes[i] = randToken()[:10]
		u.backup[codes[i]] = false
	}
	u.last = -1
	reply(w, map[string]any{"secret": u.secret, "otpauth_url": key.URL(), "qr_data_uri": "data:image/png;base64,AAAA",
		"backup_codes": codes, "message": "Scan the QR code", "success": true})
}

func (f *fakeCoPilot) checkRate(name string) string {
	e, ok := f.fails[name]
	if !ok {
		return ""
	}
	el := f.now.Sub(e.first)
	if el > 15*time.Minute {
		delete(f.fails, name)
		return ""
	}
	if e.count >= 5 {
		return fmt.Sprintf("Too many failed 2FA attempts. Try again in %d seconds.", int((15*time.Minute - el).Seconds()))
	}
	return ""
}

func (f *fakeCoPilot) fail(name string) {
	e, ok := f.fails[name]
	if !ok || f.now.Sub(e.first) > 15*time.Minute {
		f.fails[name] = fakeFails{count: 1, first: f.now}
		return
	}
	e.count++
	f.fails[name] = e
}

func readJSON(r *http.Request) map[string]string {
	m := map[string]string{}
	_ = json.NewDecoder(r.Body).Decode(&m)
	return m
}

func (f *fakeCoPilot) verifySetup(w http.ResponseWriter, r *http.Request) {
	u, ok := f.sessionUser(w, r, pendingAtStatus)
	if !ok {
		return
	}
	name := f.nameOf(u)
	body := readJSON(r)
	if msg := f.checkRate(name); msg != "" {
		detail(w, http.StatusBadRequest, msg)
		return
	}
	if u.secret == "" {
		detail(w, http.StatusBadRequest, "No 2FA setup found. Call setup first.")
		return
	}
	if u.enabled {
		detail(w, http.StatusBadRequest, "2FA is already enabled.")
		return
	}
	if ok, _ := totp.ValidateCustom(body["code"], u.secret, f.now, totpOpts); !ok {
		f.fail(name)
		detail(w, http.StatusBadRequest, "Invalid verification code. Check your authenticator app and device clock.")
		return
	}
	u.enabled = true
	u.last = f.now.Unix() / 30
	delete(f.fails, name)
	reply(w, map[string]any{"message": "Two-factor authentication is now enabled.", "success": true})
}

// check is CoPilot's validate_totp: the error sentence, or "" on success.
func (f *fakeCoPilot) check(name string, body map[string]string) string {
	u := f.users[name]
	if msg := f.checkRate(name); msg != "" {
		return msg
	}
	if body["code"] == "" && body["backup_code"] == "" {
		return "Provide either a TOTP code or a backup code."
	}
	if !u.enabled {
		return "2FA is not enabled for this user."
	}
	if code := body["code"]; code != "" {
		counter := f.now.Unix() / 30
		if ok, _ := totp.ValidateCustom(code, u.secret, f.now, totpOpts); !ok {
			f.fail(name)
			return "Invalid authentication code."
		}
		if u.last >= 0 && counter <= u.last {
			f.fail(name)
			return "This code has already been used. Wait for a new code."
		}
		u.last = counter
		delete(f.fails, name)
		return ""
	}
	bc := strings.ToUpper(strings.TrimSpace(body["backup_code"]))
	used, exists := u.backup[bc]
	if !exists || used {
		f.fail(name)
		return "Invalid backup code."
	}
	u.backup[bc] = true
	delete(f.fails, name)
	return ""
}

func (f *fakeCoPilot) validate(w http.ResponseWriter, r *http.Request) {
	body := readJSON(r)
	p, ok := f.pending[body["temp_token"]]
	switch {
	case !ok:
		detail(w, http.StatusUnauthorized, "Invalid 2FA verification token.")
		return
	case f.now.After(p.expires):
		detail(w, http.StatusUnauthorized, "2FA verification token has expired. Please log in again.")
		return
	}
	if body["code"] == "" && body["backup_code"] == "" {
		detail(w, http.StatusBadRequest, "Provide a TOTP code or backup code.")
		return
	}
	if msg := f.check(p.user, body); msg != "" {
		detail(w, http.StatusUnauthorized, msg)
		return
	}
	tok := randToken()
	f.sessions[tok] = p.user
	reply(w, map[string]any{"access_token": tok, "token_type": "bearer"})
}

func (f *fakeCoPilot) disable(w http.ResponseWriter, r *http.Request) {
	u, ok := f.sessionUser(w, r, pendingAtStatus)
	if !ok {
		return
	}
	body := readJSON(r)
	if body["code"] == "" && body["backup_code"] == "" {
		detail(w, http.StatusBadRequest, "Provide a TOTP code or backup code.")
		return
	}
	if msg := f.check(f.nameOf(u), body); msg != "" {
		detail(w, http.StatusBadRequest, msg)
		return
	}
	u.enabled, u.secret, u.backup, u.last = false, "", nil, -1
	reply(w, map[string]any{"message": "Two-factor authentication has been disabled.", "success": true})
}

func (f *fakeCoPilot) regenerate(w http.ResponseWriter, r *http.Request) {
	u, ok := f.sessionUser(w, r, pendingAtStatus)
	if !ok {
		return
	}
	name := f.nameOf(u)
	body := readJSON(r)
	if msg := f.checkRate(name); msg != "" {
		detail(w, http.StatusBadRequest, msg)
		return
	}
	if !u.enabled {
		detail(w, http.StatusBadRequest, "2FA is not enabled.")
		return
	}
	if ok, _ := totp.ValidateCustom(body["code"], u.secret, f.now, totpOpts); !ok {
		f.fail(name)
		detail(w, http.StatusBadRequest, "Invalid authentication code.")
		return
	}
	u.backup = map[string]bool{}
	codes := make([]string, 8)
	for i := range codes {
		codes[i] = randToken()[:10]
		u.backup[codes[i]] = false
	}
	delete(f.fails, name)
	reply(w, map[string]any{"backup_codes": codes, "message": "Backup codes regenerated.", "success": true})
}

func (f *fakeCoPilot) adminReset(w http.ResponseWriter, r *http.Request) {
	u, ok := f.sessionUser(w, r, pendingAtStatus)
	if !ok {
		return
	}
	if !u.admin {
		detail(w, http.StatusForbidden, "Not enough permissions")
		return
	}
	var id int64
	if _, err := fmt.Sscanf(r.URL.Path, "/api/auth/security/users/%d/totp", &id); err != nil {
		detail(w, http.StatusUnprocessableEntity, "bad id")
		return
	}
	for _, v := range f.users {
		if v.id == id {
			v.enabled, v.secret, v.backup, v.last = false, "", nil, -1
			reply(w, map[string]any{"success": true, "message": "2FA reset"})
			return
		}
	}
	detail(w, http.StatusNotFound, "User not found")
}
