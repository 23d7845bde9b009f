package server_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/exp/golden"
	"github.com/twofa/twofa/internal/harness/testdb"
	"github.com/twofa/twofa/internal/version"
	"github.com/twofa/twofa/server"
)

// transcript records what the server answers on the wire — status, every
// header but Date, and the body — with the random values it hands out
// (tokens, secrets, QR images, backup codes) replaced by numbered names.
type transcript struct {
	e     *env
	sb    strings.Builder
	names map[string]string // random value → its name
	count map[string]int    // kind → how many values of it are named

	secret string   // uma's TOTP secret, once enrolled
	backup []string // uma's backup codes
}

// maskedFields are the answer fields that carry random values.
var maskedFields = []string{"access_token", "secret", "otpauth_url", "qr_data_uri"}

// do sends a request like env.do and appends the exchange to the transcript.
func (tr *transcript) do(label, method, path, token string, body any) resp {
	r := tr.e.do(method, path, token, body)
	tr.record(label, method, path, r)
	return r
}

func (tr *transcript) name(kind, value string) {
	if value == "" || tr.names[value] != "" {
		return
	}
	tr.count[kind]++
	tr.names[value] = fmt.Sprintf("<%s-%d>", kind, tr.count[kind])
}

func (tr *transcript) record(label, method, path string, r resp) {
	for _, f := range maskedFields {
		tr.name(f, r.str(f))
	}
	if list, ok := r.body["backup_codes"].([]any); ok {
		for _, c := range list {
			s, _ := c.(string)
			tr.name("backup_code", s)
		}
	}
	body := r.raw
	for value, name := range tr.names {
		body = strings.ReplaceAll(body, value, name)
	}
	body = strings.ReplaceAll(body, `"version":"`+version.String()+`"`, `"version":"<version>"`)
	fmt.Fprintf(&tr.sb, "== %s\n%s %s\n%d\n", label, method, path, r.status)
	keys := make([]string, 0, len(r.header))
	for k := range r.header {
		// The date is the real clock's; a QR image's size varies with its secret.
		if k != "Date" && (k != "Content-Length" || r.str("qr_data_uri") == "") {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	for _, k := range keys {
		fmt.Fprintf(&tr.sb, "%s: %s\n", k, strings.Join(r.header[k], ", "))
	}
	fmt.Fprintf(&tr.sb, "%s\n", strings.TrimRight(body, "\n"))
}

// wrongTOTP returns a six-digit code that is not a code of secret at now.
func wrongTOTP(t testing.TB, secret string, now time.Time) string {
	for _, c := range []string{"000000", "111111", "222222", "333333"} {
		if c != totpAt(t, secret, now.Add(-30*time.Second)) && c != totpAt(t, secret, now) && c != totpAt(t, secret, now.Add(30*time.Second)) {
			return c
		}
	}
	t.Fatal("no wrong code")
	return ""
}

// TestAnswersOnTheWire walks every answer the API gives — each error row
// of api.md, each request-shape refusal, each success — and compares the
// transcript with testdata/TestAnswersOnTheWire.golden byte for byte, on
// SQLite and on Postgres alike, so that a change to how answers are made
// cannot change what a client receives.
func TestAnswersOnTheWire(t *testing.T) {
	got := map[backend]string{}
	for _, b := range testdb.Backends() {
		t.Run(string(b), func(t *testing.T) {
			got[b] = wireTranscript(t, newEnv(t, b))
		})
	}
	golden.RequireEqual(t, []byte(got[testdb.SQLite]))
	if pg, ok := got[testdb.Postgres]; ok && pg != got[testdb.SQLite] {
		t.Errorf("Postgres answers differ from SQLite's:\n%s", pg)
	}
}

// wireTranscript runs the scripted conversation against e.
func wireTranscript(t *testing.T, e *env) string {
	tr := &transcript{e: e, names: map[string]string{}, count: map[string]int{}}
	wireAnonymous(tr)
	e.user("root", "root password", "admin")
	e.user("uma", "uma password", "user")
	session := wireEnrollment(t, tr)
	wireSignIn(t, tr, session)
	session = wireSessionRoutes(t, tr, session)
	wireLockout(t, tr, session)
	wireAdmin(t, tr)
	wireThrottle(t, tr)
	wireAudit(t, tr)
	return tr.sb.String()
}

// wireThrottle fails sign-ins until the account's wait holds this client,
// shows the 429 twice (audited once) and signs in after the wait.
func wireThrottle(t *testing.T, tr *transcript) {
	e := tr.e
	e.user("tess", "tess password", "user")
	for i := 1; i <= server.DefaultThrottle.AccountFree; i++ {
		tr.do("sign-in, wrong password "+strconv.Itoa(i), "POST", "/api/auth/token", "", form("tess", "wrong "+strconv.Itoa(i)))
	}
	tr.do("sign-in while throttled", "POST", "/api/auth/token", "", form("tess", "tess password"))
	tr.do("sign-in while throttled, again", "POST", "/api/auth/token", "", form("tess", "tess password"))
	e.clk.Advance(time.Second)
	tr.do("sign-in after the wait", "POST", "/api/auth/token", "", form("tess", "tess password")).want(t, 200, "")
}

// wireAudit appends the audit log, oldest first: what the answers above
// recorded is behaviour too.
func wireAudit(t *testing.T, tr *transcript) {
	ev, err := tr.e.srv.Store().Audit.List(context.Background(), tr.e.srv.Store().DB(), "", 1000)
	if err != nil {
		t.Fatal(err)
	}
	tr.sb.WriteString("== audit log\n")
	for i := len(ev) - 1; i >= 0; i-- {
		x := ev[i]
		uid := "-"
		if x.UserID != nil {
			uid = itoa(*x.UserID)
		}
		fmt.Fprintf(&tr.sb, "%s %s %s %s %s %q\n", x.At.Format(time.RFC3339), uid, x.Username, x.Event, x.ClientAddr, x.Detail)
	}
}

func form(user, pass string) url.Values {
	v := url.Values{"username": {user}}
	if pass != "" {
		v.Set("password", pass)
	}
	return v
}

func wireAnonymous(tr *transcript) {
	tr.do("health", "GET", "/api/health", "", nil)
	tr.do("unknown path", "GET", "/api/nope", "", nil)
	tr.do("wrong method", "PUT", "/api/auth/token", "", nil)
	tr.do("wrong method on a pattern", "GET", "/api/auth/security/users/1/totp", "", nil)
	tr.do("sign-in as JSON", "POST", "/api/auth/token", "", `{"username":"uma","password":"uma password"}`)
	tr.do("sign-in without password", "POST", "/api/auth/token", "", form("uma", ""))
	tr.do("sign-in, unknown user", "POST", "/api/auth/token", "", form("nobody", "uma password"))
	tr.do("no bearer", "GET", "/api/auth/me", "", nil)
	tr.do("unknown bearer", "GET", "/api/auth/me", "not-a-token", nil)
	tr.do("validate without a body", "POST", "/api/auth/2fa/validate", "", nil)
	tr.do("validate with a body too large", "POST", "/api/auth/2fa/validate", "", `{"temp_token":"`+strings.Repeat("a", 20<<10)+`"}`)
}

// wireEnrollment signs uma in and enables 2FA through every refusal on the way.
func wireEnrollment(t *testing.T, tr *transcript) string {
	e := tr.e
	tr.do("sign-in, wrong password", "POST", "/api/auth/token", "", form("uma", "wrong"))
	session := tr.do("sign-in without 2FA", "POST", "/api/auth/token", "", form("uma", "uma password")).want(t, 200, "").str("access_token")
	tr.do("me, 2FA off", "GET", "/api/auth/me", session, nil)
	tr.do("status, 2FA off", "GET", "/api/auth/2fa/status", session, nil)
	tr.do("setup without password", "POST", "/api/auth/2fa/setup", session, nil)
	tr.do("setup, wrong password", "POST", "/api/auth/2fa/setup", session, map[string]string{"password": "nope"})
	tr.do("setup, unknown field", "POST", "/api/auth/2fa/setup", session, `{"password":"x","admin":true}`)
	tr.do("setup, wrong type", "POST", "/api/auth/2fa/setup", session, `{"password":1}`)
	tr.do("setup, not JSON", "POST", "/api/auth/2fa/setup", session, `{"password":`)
	tr.do("setup, two objects", "POST", "/api/auth/2fa/setup", session, `{}{}`)
	tr.do("setup, repeated key", "POST", "/api/auth/2fa/setup", session, `{"password":"nope","password":"uma password"}`)
	tr.do("setup, key in another case", "POST", "/api/auth/2fa/setup", session, `{"Password":"uma password"}`)
	tr.do("verify-setup before setup", "POST", "/api/auth/2fa/verify-setup", session, map[string]string{"code": "123456"})
	tr.do("verify-setup without code", "POST", "/api/auth/2fa/verify-setup", session, map[string]string{})
	tr.do("disable, 2FA off", "DELETE", "/api/auth/2fa/disable", session, map[string]string{"code": "123456"})
	tr.do("regenerate, 2FA off", "POST", "/api/auth/2fa/backup-codes/regenerate", session, map[string]string{"code": "123456"})
	setup := tr.do("setup", "POST", "/api/auth/2fa/setup", session, map[string]string{"password": "uma password"}).want(t, 200, "")
	secret := setup.str("secret")
	other := tr.do("sign-in on another device", "POST", "/api/auth/token", "", form("uma", "uma password")).want(t, 200, "").str("access_token")
	tr.do("verify-setup, wrong code", "POST", "/api/auth/2fa/verify-setup", session, map[string]string{"code": wrongTOTP(t, secret, e.clk.Now())})
	tr.do("verify-setup", "POST", "/api/auth/2fa/verify-setup", session, map[string]string{"code": totpAt(t, secret, e.clk.Now())}).want(t, 200, "")
	tr.do("the other device after 2FA was enabled", "GET", "/api/auth/me", other, nil)
	tr.do("verify-setup again", "POST", "/api/auth/2fa/verify-setup", session, map[string]string{"code": totpAt(t, secret, e.clk.Now())})
	tr.do("setup again", "POST", "/api/auth/2fa/setup", session, map[string]string{"password": "uma password"})
	tr.do("status, 2FA on", "GET", "/api/auth/2fa/status", session, nil)
	tr.do("me, 2FA on", "GET", "/api/auth/me", session, nil)
	tr.secret = secret
	for _, c := range setup.body["backup_codes"].([]any) {
		tr.backup = append(tr.backup, c.(string))
	}
	return session
}

// pendingFor signs user in with the password and returns the pending token.
func (tr *transcript) pendingFor(t *testing.T, label, user, pass string) string {
	r := tr.do(label, "POST", "/api/auth/token", "", form(user, pass)).want(t, 200, "")
	return r.str("access_token")
}

func (tr *transcript) validate(label string, body map[string]string) resp {
	return tr.do(label, "POST", "/api/auth/2fa/validate", "", body)
}

// wireSignIn signs uma in with her second factor through every refusal.
func wireSignIn(t *testing.T, tr *transcript, session string) {
	e := tr.e
	pt := tr.pendingFor(t, "sign-in, 2FA required", "uma", "uma password")
	tr.do("pending token as bearer", "GET", "/api/auth/me", pt, nil)
	tr.do("pending token at refresh", "GET", "/api/auth/refresh", pt, nil)
	tr.validate("validate without temp_token", map[string]string{"code": "123456"})
	tr.validate("validate with code and backup code", map[string]string{"temp_token": pt, "code": "1", "backup_code": "2"})
	tr.validate("validate without a code", map[string]string{"temp_token": pt})
	tr.validate("validate, garbage temp_token", map[string]string{"temp_token": "garbage", "code": "123456"})
	tr.validate("validate, session as temp_token", map[string]string{"temp_token": session, "code": "123456"})
	tr.validate("validate, wrong TOTP", map[string]string{"temp_token": pt, "code": wrongTOTP(t, tr.secret, e.clk.Now())})
	tr.validate("validate, wrong backup code", map[string]string{"temp_token": pt, "backup_code": "AAAAA-AAAAA"})
	tr.validate("validate, replayed enrollment code", map[string]string{"temp_token": pt, "code": totpAt(t, tr.secret, e.clk.Now())})
	e.clk.Advance(30 * time.Second)
	tr.validate("validate", map[string]string{"temp_token": pt, "code": totpAt(t, tr.secret, e.clk.Now())}).want(t, 200, "")
	tr.validate("validate, spent temp_token", map[string]string{"temp_token": pt, "code": totpAt(t, tr.secret, e.clk.Now().Add(30*time.Second))})
	pt = tr.pendingFor(t, "sign-in again", "uma", "uma password")
	e.clk.Advance(server.PendingTTL + time.Second)
	tr.validate("validate, expired temp_token", map[string]string{"temp_token": pt, "code": totpAt(t, tr.secret, e.clk.Now())})
	pt = tr.pendingFor(t, "sign-in once more", "uma", "uma password")
	tr.validate("validate with a backup code", map[string]string{"temp_token": pt, "backup_code": strings.ToLower(tr.backup[0])}).want(t, 200, "")
	pt = tr.pendingFor(t, "sign-in for a spent backup code", "uma", "uma password")
	tr.validate("validate, spent backup code", map[string]string{"temp_token": pt, "backup_code": tr.backup[0]})
}

// wireSessionRoutes covers refresh (and a replaced token used again),
// logout, regenerate and disable; it returns uma's live session.
func wireSessionRoutes(t *testing.T, tr *transcript, session string) string {
	e := tr.e
	fresh := tr.do("refresh", "GET", "/api/auth/refresh", session, nil).want(t, 200, "").str("access_token")
	tr.do("refreshed token", "GET", "/api/auth/me", fresh, nil)
	tr.do("replaced token used again", "GET", "/api/auth/me", session, nil)
	tr.do("refreshed token after the replaced one was used", "GET", "/api/auth/me", fresh, nil)
	e.clk.Advance(30 * time.Second)
	pt := tr.pendingFor(t, "sign-in after the session ended", "uma", "uma password")
	session = tr.validate("validate for a new session", map[string]string{"temp_token": pt, "code": totpAt(t, tr.secret, e.clk.Now())}).want(t, 200, "").str("access_token")
	e.clk.Advance(30 * time.Second)
	pt = tr.pendingFor(t, "sign-in to log out", "uma", "uma password")
	other := tr.validate("validate for a session to log out", map[string]string{"temp_token": pt, "code": totpAt(t, tr.secret, e.clk.Now())}).want(t, 200, "").str("access_token")
	tr.do("logout", "POST", "/api/auth/logout", other, nil)
	tr.do("after logout", "GET", "/api/auth/2fa/status", other, nil)
	tr.do("regenerate without code", "POST", "/api/auth/2fa/backup-codes/regenerate", session, map[string]string{})
	tr.do("regenerate, backup code field", "POST", "/api/auth/2fa/backup-codes/regenerate", session, map[string]string{"backup_code": tr.backup[1]})
	e.clk.Advance(30 * time.Second)
	c := totpAt(t, tr.secret, e.clk.Now())
	tr.do("regenerate", "POST", "/api/auth/2fa/backup-codes/regenerate", session, map[string]string{"code": c}).want(t, 200, "")
	tr.do("regenerate, replayed code", "POST", "/api/auth/2fa/backup-codes/regenerate", session, map[string]string{"code": c})
	tr.do("disable, replayed code", "DELETE", "/api/auth/2fa/disable", session, map[string]string{"code": c})
	tr.do("disable, old backup code", "DELETE", "/api/auth/2fa/disable", session, map[string]string{"backup_code": tr.backup[1]})
	tr.do("disable, code and backup code", "DELETE", "/api/auth/2fa/disable", session, map[string]string{"code": "1", "backup_code": "2"})
	tr.do("disable without a body", "DELETE", "/api/auth/2fa/disable", session, nil)
	return session
}

// wireLockout fails until the account locks, then shows the lock on every
// route, its countdown, its end and disabling after it.
func wireLockout(t *testing.T, tr *transcript, session string) {
	e := tr.e
	for i := 1; i <= server.MaxFailures; i++ {
		r := tr.do("regenerate, wrong code "+strconv.Itoa(i), "POST", "/api/auth/2fa/backup-codes/regenerate", session, map[string]string{"code": wrongTOTP(t, tr.secret, e.clk.Now())})
		if r.status == http.StatusTooManyRequests {
			break
		}
	}
	pt := tr.pendingFor(t, "sign-in while locked", "uma", "uma password")
	right := map[string]string{"temp_token": pt, "code": totpAt(t, tr.secret, e.clk.Now())}
	tr.validate("validate while locked", right)
	tr.do("disable while locked", "DELETE", "/api/auth/2fa/disable", session, map[string]string{"code": right["code"]})
	tr.do("verify-setup while enabled and locked", "POST", "/api/auth/2fa/verify-setup", session, map[string]string{"code": right["code"]})
	e.clk.Advance(10*time.Minute + 500*time.Millisecond)
	tr.do("disable while locked, 10 minutes on", "DELETE", "/api/auth/2fa/disable", session, map[string]string{"code": right["code"]})
	e.clk.Advance(5 * time.Minute)
	pt = tr.pendingFor(t, "sign-in after the lock", "uma", "uma password")
	tr.do("disable", "DELETE", "/api/auth/2fa/disable", session, map[string]string{"code": totpAt(t, tr.secret, e.clk.Now())}).want(t, 200, "")
	tr.validate("validate after disable", map[string]string{"temp_token": pt, "code": totpAt(t, tr.secret, e.clk.Now().Add(30*time.Second))})
	tr.do("sign-in after disable", "POST", "/api/auth/token", "", form("uma", "uma password"))
}

// wireAdmin covers the admin route, an expired session and an internal error.
func wireAdmin(t *testing.T, tr *transcript) {
	e := tr.e
	root := tr.do("admin sign-in", "POST", "/api/auth/token", "", form("root", "root password")).want(t, 200, "").str("access_token")
	u := e.enroll("vic")
	user := tr.do("user sign-in", "POST", "/api/auth/token", "", form("uma", "uma password")).want(t, 200, "").str("access_token")
	path := "/api/auth/security/users/" + itoa(u.id) + "/totp"
	tr.do("admin reset by a user", "DELETE", path, user, nil)
	tr.do("admin reset, unknown user", "DELETE", "/api/auth/security/users/999999/totp", root, nil)
	tr.do("admin reset, bad id", "DELETE", "/api/auth/security/users/abc/totp", root, nil)
	tr.do("admin reset", "DELETE", path, root, nil).want(t, 200, "")
	tr.do("after admin reset", "GET", "/api/auth/me", u.session, nil)
	e.clk.Advance(24*time.Hour + time.Second)
	tr.do("expired session", "GET", "/api/auth/me", user, nil)

	w := e.enroll("wes")
	e.ref.Close()
	tr.e = openEnv(t, e.db, e.clk, func(o *server.Options) { o.TOTPKeys = "cw_0x689RpI-jtRR7oE8h_eQsKImvJapLeSbXpwF4e4=" })
	pt := tr.pendingFor(t, "sign-in under another key", w.name, w.pass)
	tr.validate("validate, secret unreadable", map[string]string{"temp_token": pt, "code": totpAt(t, w.secret, e.clk.Now())})
}
