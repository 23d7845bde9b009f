package server_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/twofa/twofa/internal/harness/testclock"
	"github.com/twofa/twofa/internal/harness/testdb"
	"github.com/twofa/twofa/server"
	"github.com/twofa/twofa/server/servertest"
)

// backend is a database a test suite runs against.
type backend = testdb.Backend

// forEachBackend runs fn as a parallel subtest per backend (Postgres only
// when testdb.PostgresEnv is set).
func forEachBackend(t *testing.T, fn func(t *testing.T, b backend)) {
	for _, b := range testdb.Backends() {
		t.Run(string(b), func(t *testing.T) {
			t.Parallel()
			fn(t, b)
		})
	}
}

// forEachEnv runs fn, in parallel, with a fresh server (newEnv) on every
// backend testdb offers.
func forEachEnv(t *testing.T, fn func(t *testing.T, e *env)) {
	forEachBackend(t, func(t *testing.T, b backend) { fn(t, newEnv(t, b)) })
}

// env is one running server under test and its raw HTTP conversation.
type env struct {
	t   testing.TB
	ref *servertest.Server
	srv *server.Server
	ts  *httptest.Server
	clk *testclock.Clock
	db  testdb.Database
}

// newEnv opens a server on a fresh database of backend b.
func newEnv(t *testing.T, b backend) *env {
	t.Helper()
	return startEnv(t, servertest.Options{Backend: b}, nil)
}

// openEnv opens another server on db with the clock clk — a restart, or a
// second server process on one database — with configure applied to its
// options when set.
func openEnv(t testing.TB, db testdb.Database, clk *testclock.Clock, configure func(*server.Options)) *env {
	t.Helper()
	return startEnv(t, servertest.Options{Database: &db, Clock: clk}, configure)
}

// twoServers opens two servers on one fresh Postgres database with one
// clock, configure applied to both: two server processes sharing state.
func twoServers(t *testing.T, configure func(*server.Options)) []*env {
	t.Helper()
	db := testdb.New(t, testdb.Postgres)
	clk := testclock.New(servertest.Start)
	return []*env{openEnv(t, db, clk, configure), openEnv(t, db, clk, configure)}
}

// startEnv starts a server whose issuer is "twofa-test", so every URI says
// which server made it.
func startEnv(t testing.TB, o servertest.Options, configure func(*server.Options)) *env {
	t.Helper()
	o.Configure = func(so *server.Options) {
		so.Issuer = "twofa-test"
		if configure != nil {
			configure(so)
		}
	}
	s := servertest.New(t, o)
	return &env{t: t, ref: s, srv: s.Server, ts: s.HTTP, clk: s.Clock, db: s.Database}
}

// resp is a decoded answer.
type resp struct {
	status int
	header http.Header
	body   map[string]any
	raw    string
}

func (r resp) str(key string) string {
	s, _ := r.body[key].(string)
	return s
}

// do sends a request; body is JSON-encoded unless it is a url.Values (form)
// or a string (sent raw as JSON).
func (e *env) do(method, path, token string, body any) resp {
	e.t.Helper()
	return e.doFrom("", method, path, token, body)
}

// doFrom is do with X-Forwarded-For: from when from is not empty (a
// server that trusts loopback proxies then takes it as the client).
func (e *env) doFrom(from, method, path, token string, body any) resp {
	e.t.Helper()
	var rdr io.Reader
	ct := ""
	switch b := body.(type) {
	case nil:
	case url.Values:
		rdr, ct = strings.NewReader(b.Encode()), "application/x-www-form-urlencoded"
	case string:
		rdr, ct = strings.NewReader(b), "application/json"
	default:
		j, _ := json.Marshal(b)
		rdr, ct = bytes.NewReader(j), "application/json"
	}
	req, err := http.NewRequest(method, e.ts.URL+path, rdr)
	if err != nil {
		e.t.Fatalf("new request: %v", err)
	}
	if ct != "" {
		req.Header.Set("Content-Type", ct)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if from != "" {
		req.Header.Set("X-Forwarded-For", from)
	}
	res, err := e.ts.Client().Do(req)
	if err != nil {
		e.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	out := resp{status: res.StatusCode, header: res.Header, raw: string(raw)}
	_ = json.Unmarshal(raw, &out.body)
	return out
}

// want fails the test unless r has the status and (when not empty) the code.
func (r resp) want(t testing.TB, status int, code string) resp {
	t.Helper()
	if r.status != status || (code != "" && r.str("code") != code) {
		t.Fatalf("got %d %s; want %d code %q", r.status, r.raw, status, code)
	}
	return r
}

// login signs in with the password form.
func (e *env) login(user, pass string) resp {
	e.t.Helper()
	return e.do("POST", "/api/auth/token", "", url.Values{"username": {user}, "password": {pass}})
}

// totpAt computes the code of secret at t, as an authenticator app would.
func totpAt(t testing.TB, secret string, at time.Time) string {
	t.Helper()
	return servertest.CodeAt(t, secret, at)
}

// user creates an account and returns its id.
func (e *env) user(name, pass, role string) int64 {
	e.t.Helper()
	return e.ref.CreateUser(e.t, name, pass, role)
}

// enrolled is an account with 2FA on.
type enrolled struct {
	id      int64
	name    string
	pass    string
	session string
	secret  string
	codes   []string
}

// enroll creates a user, signs in, sets up and verifies 2FA, and moves the
// clock to the next step so the next code is fresh.
func (e *env) enroll(name string) enrolled {
	e.t.Helper()
	u := enrolled{name: name, pass: "correct horse " + name}
	u.id = e.user(name, u.pass, "user")
	u.session = e.login(name, u.pass).want(e.t, 200, "").str("access_token")
	setup := e.do("POST", "/api/auth/2fa/setup", u.session, map[string]string{"password": u.pass}).want(e.t, 200, "")
	u.secret = setup.str("secret")
	for _, c := range setup.body["backup_codes"].([]any) {
		u.codes = append(u.codes, c.(string))
	}
	e.do("POST", "/api/auth/2fa/verify-setup", u.session, map[string]string{"code": totpAt(e.t, u.secret, e.clk.Now())}).want(e.t, 200, "")
	e.clk.Advance(30 * time.Second)
	return u
}

// pending signs in with the password and returns the pending token.
func (e *env) pending(u enrolled) string {
	e.t.Helper()
	r := e.login(u.name, u.pass).want(e.t, 200, "")
	if r.body["requires_2fa"] != true {
		e.t.Fatalf("login without requires_2fa: %s", r.raw)
	}
	return r.str("access_token")
}
