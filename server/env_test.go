package server

import (
	"bytes"
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"
	"github.com/twofa/twofa/server/auth"
)

// testJWTSecret is a random-looking secret for tests only.
const testJWTSecret = "t3st-Jwt-4f9c2b7e1a8d6c5b3e2f1a0d9c8b7e6f"

// clock is an injectable, advanceable test clock.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *clock {
	// Mid-step, so ±1 step arithmetic in tests is unambiguous.
	return &clock{t: time.Date(2025, 6, 1, 12, 0, 15, 0, time.UTC)}
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// syncBuffer is a goroutine-safe log sink.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// backend is a database a test suite runs against.
type backend struct {
	name string
	// dsn returns a fresh, empty database for one test, plus the files that
	// hold it (SQLite only) for the secret scan.
	dsn func(t *testing.T) (string, []string)
}

// backends returns SQLite always and Postgres when TWOFA_TEST_POSTGRES_DSN is set.
func backends() []backend {
	return []backend{
		{"sqlite", func(t *testing.T) (string, []string) {
			p := filepath.Join(t.TempDir(), "twofa.db")
			return "sqlite:" + p, []string{p, p + "-wal", p + "-shm"}
		}},
		{"postgres", postgresDSN},
	}
}

// postgresDSN makes a fresh schema in the test database and returns a DSN
// whose search_path points at it; the schema is dropped after the test.
func postgresDSN(t *testing.T) (string, []string) {
	base := os.Getenv("TWOFA_TEST_POSTGRES_DSN")
	if base == "" {
		t.Skip("TWOFA_TEST_POSTGRES_DSN not set: skipping Postgres tests")
	}
	b := make([]byte, 6)
	rand.Read(b)
	schema := "t_" + hex.EncodeToString(b)
	db, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatalf("open postgres: %v", err)
	}
	if _, err := db.Exec("CREATE SCHEMA " + schema); err != nil {
		db.Close()
		t.Fatalf("create schema: %v", err)
	}
	t.Cleanup(func() {
		db.Exec("DROP SCHEMA " + schema + " CASCADE")
		db.Close()
	})
	sep := "?"
	if strings.Contains(base, "?") {
		sep = "&"
	}
	return base + sep + "search_path=" + schema, nil
}

// forEachBackend runs fn as a subtest per backend.
func forEachBackend(t *testing.T, fn func(t *testing.T, b backend)) {
	for _, b := range backends() {
		t.Run(b.name, func(t *testing.T) {
			t.Parallel()
			fn(t, b)
		})
	}
}

// env is one running server under test.
type env struct {
	t     testing.TB
	srv   *Server
	ts    *httptest.Server
	clk   *clock
	dsn   string
	files []string
	logs  *syncBuffer
}

// testOptions are the options every test server starts from.
func testOptions(dsn string, clk *clock, logs io.Writer) Options {
	return Options{
		DSN:       dsn,
		JWTSecret: testJWTSecret,
		Issuer:    "twofa-test",
		Now:       clk.Now,
		// Durations are dropped from the test log only so that the secret
		// scan cannot mistake their digits for a TOTP code.
		Logger: slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{ReplaceAttr: func(_ []string, a slog.Attr) slog.Attr {
			if a.Key == "duration" || a.Key == slog.TimeKey {
				return slog.Attr{}
			}
			return a
		}})),
		PasswordHashing:   auth.LightParams,
		BackupCodeHashing: auth.LightParams,
	}
}

// newEnv opens a server on a fresh database of backend b.
func newEnv(t *testing.T, b backend) *env {
	t.Helper()
	dsn, files := b.dsn(t)
	return openEnv(t, dsn, files, newClock())
}

// openEnv opens a server on an existing DSN with the given clock.
func openEnv(t testing.TB, dsn string, files []string, clk *clock) *env {
	t.Helper()
	logs := &syncBuffer{}
	srv, err := Open(context.Background(), testOptions(dsn, clk, logs))
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(func() {
		ts.Close()
		srv.Close()
	})
	return &env{t: t, srv: srv, ts: ts, clk: clk, dsn: dsn, files: files, logs: logs}
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
	c, err := totp.GenerateCodeCustom(secret, at, totp.ValidateOpts{Period: 30, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1})
	if err != nil {
		t.Fatalf("totp: %v", err)
	}
	return c
}

// user creates an account and returns its id.
func (e *env) user(name, pass, role string) int64 {
	e.t.Helper()
	id, err := e.srv.CreateUser(context.Background(), name, pass, role)
	if err != nil {
		e.t.Fatalf("CreateUser: %v", err)
	}
	return id
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
