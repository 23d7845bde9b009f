// Package servertest runs the reference server in tests, as httptest runs
// a handler: server.Open on a database of the test's own (package testdb:
// a SQLite file in t.TempDir(), or a Postgres schema), behind an
// httptest.Server, with a clock the test moves, light argon2id costs and a
// captured request log. Everything is closed and removed when the test
// ends.
package servertest

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/twofa/twofa/internal/harness/testclock"
	"github.com/twofa/twofa/internal/harness/testdb"
	"github.com/twofa/twofa/server"
	"github.com/twofa/twofa/server/auth"
)

// JWTSecret is the servers' JWT secret: random-looking, for tests only.
const JWTSecret = "t3st-Jwt-4f9c2b7e1a8d6c5b3e2f1a0d9c8b7e6f"

// Start is where a server's clock starts unless the test brings its own:
// a fixed instant in the middle of a TOTP step, so ±1 step is unambiguous.
var Start = time.Date(2025, 6, 1, 12, 0, 15, 0, time.UTC)

// Options say how to start a Server; the zero value is a fresh SQLite
// database and a clock at Start.
type Options struct {
	// Backend is the kind of fresh database to create (default SQLite).
	Backend testdb.Backend
	// Database, when set, is an existing database to open instead: a
	// restart, or a second server on one Postgres.
	Database *testdb.Database
	// Clock is shared by the server and the test (default one at Start).
	Clock *testclock.Clock
	// Configure, when set, changes the server's options before Open.
	Configure func(*server.Options)
	// Wrap, when set, puts a handler in front of the server's.
	Wrap func(http.Handler) http.Handler
}

// Server is a running reference server and what a test needs around it.
type Server struct {
	URL      string           // base URL, e.g. http://127.0.0.1:41234
	Server   *server.Server   // the reference server itself
	HTTP     *httptest.Server // the HTTP server in front of it
	Clock    *testclock.Clock // the server's clock
	Database testdb.Database  // where its state lives
	Config   server.Options   // the options it was opened with

	log       *LogBuffer
	closeOnce sync.Once
}

// New starts a reference server for the test; it stops when the test ends.
func New(t testing.TB, o Options) *Server {
	t.Helper()
	if o.Clock == nil {
		o.Clock = testclock.New(Start)
	}
	db := o.Database
	if db == nil {
		fresh := testdb.New(t, o.Backend)
		db = &fresh
	}
	s := &Server{Clock: o.Clock, Database: *db, log: &LogBuffer{}}
	s.Config = server.Options{
		DSN:       db.DSN,
		JWTSecret: JWTSecret,
		Now:       o.Clock.Now,
		// Durations and times are dropped from the log only so that a scan
		// of it for secrets cannot mistake their digits for a TOTP code.
		Logger: slog.New(slog.NewTextHandler(s.log, &slog.HandlerOptions{ReplaceAttr: func(_ []string, a slog.Attr) slog.Attr {
			if a.Key == "duration" || a.Key == slog.TimeKey {
				return slog.Attr{}
			}
			return a
		}})),
		PasswordHashing:   auth.LightParams,
		BackupCodeHashing: auth.LightParams,
	}
	if o.Configure != nil {
		o.Configure(&s.Config)
	}
	srv, err := server.Open(context.Background(), s.Config)
	if err != nil {
		t.Fatalf("servertest: server.Open: %v", err)
	}
	s.Server = srv
	h := srv.Handler()
	if o.Wrap != nil {
		h = o.Wrap(h)
	}
	s.HTTP = httptest.NewServer(h)
	s.URL = s.HTTP.URL
	t.Cleanup(s.Close)
	return s
}

// Client returns an HTTP client for the server.
func (s *Server) Client() *http.Client { return s.HTTP.Client() }

// Close stops the HTTP server, then closes the reference server and its
// database; later calls do nothing.
func (s *Server) Close() {
	s.closeOnce.Do(func() {
		s.HTTP.Close()
		_ = s.Server.Close()
	})
}

// Log returns what the server has logged so far.
func (s *Server) Log() string { return s.log.String() }

// CreateUser adds an account (role "admin" or "user") and returns its id.
func (s *Server) CreateUser(t testing.TB, name, password, role string) int64 {
	t.Helper()
	id, err := s.Server.CreateUser(context.Background(), name, password, role)
	if err != nil {
		t.Fatalf("servertest: CreateUser %q: %v", name, err)
	}
	return id
}

// Require2FA sets (or with off ends) role's 2FA requirement with grace, as
// `twofa admin require-2fa` does: through server.Admin on the server's
// database and clock.
func (s *Server) Require2FA(t testing.TB, role string, grace time.Duration, off bool) {
	t.Helper()
	a, err := server.OpenAdmin(context.Background(), server.AdminOptions{DSN: s.Database.DSN, Now: s.Clock.Now, Actor: "servertest"})
	if err != nil {
		t.Fatalf("servertest: OpenAdmin: %v", err)
	}
	defer a.Close()
	if err := a.Require2FA(context.Background(), role, grace, off); err != nil {
		t.Fatalf("servertest: Require2FA %q: %v", role, err)
	}
}

// Code is what an authenticator app shows for secret at the server's clock.
func (s *Server) Code(t testing.TB, secret string) string {
	t.Helper()
	return CodeAt(t, secret, s.Clock.Now())
}
