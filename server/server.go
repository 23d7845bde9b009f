// Package server is twofa's reference backend: the account API of api.md
// (SOCFortress CoPilot's contract plus extensions) with its security rules
// kept in SQLite or Postgres.
//
// The rules (signin.go, secondfactor.go, enrollment.go, admin.go) take a
// context and plain values and return the errors of errors.go; they know
// nothing of HTTP. A handler (handlers_*.go) decodes a request, calls a
// rule and writes the result; every error on the way is answered by one
// table (answers.go) with its status, wire code, sentence and Retry-After.
package server

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/netip"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/twofa/twofa/server/auth"
	"github.com/twofa/twofa/server/keys"
	"github.com/twofa/twofa/server/store"
)

// Security constants of api.md.
const (
	// PendingTTL is how long a half-signed-in token lives.
	PendingTTL = 5 * time.Minute
	// MaxFailures is how many failed second-factor attempts lock an account.
	MaxFailures = 5
	// LockDuration is how long the lock lasts.
	LockDuration = 15 * time.Minute
)

// Options configure a Server.
type Options struct {
	DSN       string        // "sqlite:/path/file.db" or "postgres://..."
	JWTSecret string        // required, >= 32 chars, not obviously weak
	TOTPKeys  string        // comma-separated Fernet keys; "" = derived from JWTSecret like CoPilot
	Issuer    string        // default "twofa"
	AccessTTL time.Duration // default 24h
	// SessionMaxAge bounds how long refreshes can keep a session alive
	// after its sign-in; default (and at least) 7 × AccessTTL.
	SessionMaxAge  time.Duration
	Now            func() time.Time // default time.Now (tests inject a clock)
	Logger         *slog.Logger     // request log; default discards
	TrustedProxies []netip.Prefix   // X-Forwarded-For honoured only from these
	// Throttle is the password sign-in throttle; the zero value means DefaultThrottle.
	Throttle ThrottlePolicy

	// IndexKey keys the backup-code index (HMAC-SHA-256); "" derives it from
	// JWTSecret under a fixed label. It must never be stored in the database.
	IndexKey string
	// PasswordHashing and BackupCodeHashing are argon2id costs for new
	// hashes; zero values mean auth.PasswordParams and auth.BackupCodeParams.
	PasswordHashing   auth.Params
	BackupCodeHashing auth.Params

	// SweepInterval is how often expired tokens and forgotten throttle
	// records are deleted in the background; zero means
	// DefaultSweepInterval, a negative value no background sweep.
	SweepInterval time.Duration
}

// Server is a running reference backend bound to its database.
type Server struct {
	opts    Options
	store   *store.Store
	ring    *keys.Ring
	index   *keys.Index
	now     func() time.Time
	log     *slog.Logger
	dummy   string // a hash with the password costs, verified against for unknown users
	handler http.Handler

	// pending remembers the pending sign-ins this process issued.
	pending *pendingCache
	// backupDerivations counts argon2id derivations of backup codes, so
	// tests can show that a wrong code costs none.
	backupDerivations atomic.Int64
	// waiting holds the lines of password attempts waiting for their address's allowance.
	waiting lines
	// sweeps counts the background sweeps done; sweep is the running one.
	sweeps    atomic.Int64
	sweeper   *sweeper
	closeOnce sync.Once
	closeErr  error
	// beforeEnable, set only by tests, runs in verify-setup between reading
	// the pending enrollment and the transaction that enables it.
	beforeEnable func()
}

// Open checks opts, opens the store, applies the embedded migrations and
// returns a Server ready to serve Handler.
func Open(ctx context.Context, opts Options) (*Server, error) {
	if err := CheckJWTSecret(opts.JWTSecret); err != nil {
		return nil, err
	}
	if opts.Issuer == "" {
		opts.Issuer = "twofa"
	}
	if opts.AccessTTL <= 0 {
		opts.AccessTTL = 24 * time.Hour
	}
	if opts.SessionMaxAge <= 0 {
		opts.SessionMaxAge = 7 * opts.AccessTTL
	}
	opts.SessionMaxAge = max(opts.SessionMaxAge, opts.AccessTTL)
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if opts.PasswordHashing == (auth.Params{}) {
		opts.PasswordHashing = auth.PasswordParams
	}
	if opts.Throttle == (ThrottlePolicy{}) {
		opts.Throttle = DefaultThrottle
	}
	if opts.BackupCodeHashing == (auth.Params{}) {
		opts.BackupCodeHashing = auth.BackupCodeParams
	}
	ring, err := keys.NewRing(opts.TOTPKeys, opts.JWTSecret)
	if err != nil {
		return nil, err
	}
	index, err := keys.NewIndex(opts.IndexKey, opts.JWTSecret)
	if err != nil {
		return nil, err
	}
	// The unknown-user check verifies against a hash with the password
	// costs; it need not be a hash of anything, so it is made without a
	// derivation and costs no argon2id memory at start.
	dummy, err := auth.DummyHash(opts.PasswordHashing)
	if err != nil {
		return nil, err
	}
	st, err := store.Open(ctx, opts.DSN)
	if err != nil {
		return nil, err
	}
	s := &Server{opts: opts, store: st, ring: ring, index: index, now: opts.Now, log: opts.Logger, dummy: dummy, pending: newPendingCache()}
	s.handler = s.routes()
	if opts.SweepInterval == 0 {
		opts.SweepInterval = DefaultSweepInterval
	}
	if opts.SweepInterval > 0 {
		s.sweeper = s.startSweep(opts.SweepInterval)
	}
	return s, nil
}

// Handler returns the HTTP handler serving every route of Routes.
func (s *Server) Handler() http.Handler { return s.handler }

// Close stops the background sweep and closes the database; later calls
// return the first one's result.
func (s *Server) Close() error {
	s.closeOnce.Do(func() {
		s.sweeper.halt()
		s.closeErr = s.store.Close()
	})
	return s.closeErr
}

// CreateUser adds an account with an argon2id password hash; role is
// "admin" or "user".
func (s *Server) CreateUser(ctx context.Context, username, password, role string) (int64, error) {
	return createUser(ctx, s.store, s.opts.PasswordHashing, s.now(), username, password, role)
}

// ErrUserExists is returned by CreateUser when the username is taken.
var ErrUserExists = errors.New("a user with that name already exists")

func createUser(ctx context.Context, st *store.Store, p auth.Params, now time.Time, username, password, role string) (int64, error) {
	if err := ValidateUsername(username); err != nil {
		return 0, err
	}
	if password == "" {
		return 0, errors.New("password must not be empty")
	}
	if role != "admin" && role != "user" {
		return 0, fmt.Errorf("role %q: must be admin or user", role)
	}
	hash, err := auth.HashContext(ctx, password, p)
	if err != nil {
		return 0, err
	}
	id, err := st.Users.Create(ctx, st.DB(), username, hash, role, now)
	if errors.Is(err, store.ErrConflict) {
		return 0, fmt.Errorf("user %q: %w", username, ErrUserExists)
	}
	return id, err
}

// CheckJWTSecret refuses a missing, short or obviously weak JWT secret.
func CheckJWTSecret(secret string) error {
	if secret == "" {
		return errors.New("JWT_SECRET is required: set it to a long random value (e.g. `openssl rand -base64 48`)")
	}
	if len(secret) < 32 {
		return fmt.Errorf("JWT_SECRET is too short (%d characters): use at least 32 random characters", len(secret))
	}
	distinct := map[rune]bool{}
	for _, r := range secret {
		distinct[r] = true
	}
	if len(distinct) < 10 {
		return errors.New("JWT_SECRET is too repetitive: use a long random value")
	}
	lower := strings.ToLower(secret)
	for _, weak := range []string{"changeme", "change_me", "change-me", "secret", "password", "example", "default", "qwerty", "123456", "abcdef"} {
		if strings.Contains(lower, weak) {
			return fmt.Errorf("JWT_SECRET looks like a placeholder (contains %q): use a long random value", weak)
		}
	}
	return nil
}
