// Package store keeps the reference server's state in SQLite or Postgres:
// one interface per aggregate, every method taking a Handle that works in or
// out of a transaction, numbered per-driver migrations applied at Open.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" database/sql driver
)

// ErrNotFound is returned when the row asked for does not exist.
var ErrNotFound = errors.New("not found")

// ErrConflict is returned when a unique value (a username) is already
// taken, or a state to be entered is already there.
var ErrConflict = errors.New("already exists")

// ErrChanged is returned by a compare-and-set whose row no longer holds
// the value the caller read.
var ErrChanged = errors.New("changed since it was read")

// postgresConns is the size of a Postgres pool.
const postgresConns = 20

// Handle is what every store method runs its SQL on: *sql.DB or *sql.Tx.
type Handle interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// Store is an open database with the aggregate stores bound to it.
type Store struct {
	db     *sql.DB
	driver string
	stmts  prepared // SQLite's hot statements; nil on Postgres

	Users     Users
	Tokens    Tokens
	TwoFactor TwoFactor
	Audit     Audit
	Throttle  Throttle
	Policies  Policies
}

// Driver names the database kind: "sqlite" or "postgres".
func (s *Store) Driver() string { return s.driver }

// DB returns the handle for statements outside a transaction.
func (s *Store) DB() Handle { return dbHandle{db: s.db, stmts: s.stmts} }

// Close closes the prepared statements and the database pool.
func (s *Store) Close() error {
	s.stmts.close()
	return s.db.Close()
}

// Tx runs fn in one transaction, committing when fn returns nil and rolling
// back otherwise. SQLite transactions start IMMEDIATE (see the DSN), so two
// writers never deadlock on a lock upgrade.
func (s *Store) Tx(ctx context.Context, fn func(h Handle) error) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin transaction: %w", err)
	}
	if err := fn(txHandle{tx: tx, stmts: s.stmts}); err != nil {
		_ = tx.Rollback()
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}

// Open connects to dsn ("sqlite:PATH" or "postgres://…"), applies the
// embedded migrations and returns the store. A SQLite database file is
// created, or tightened, to mode 0600 before SQLite opens it, so its WAL
// and shared-memory files (which SQLite creates with the database file's
// mode) are 0600 too, whatever the umask.
func Open(ctx context.Context, dsn string) (*Store, error) {
	d, err := parseDSN(dsn)
	if err != nil {
		return nil, err
	}
	sqlDriver := "pgx"
	if d.driver == "sqlite" {
		sqlDriver = "sqlite"
		if err := privateFiles(d.path); err != nil {
			return nil, err
		}
	}
	db, err := sql.Open(sqlDriver, d.source)
	if err != nil {
		return nil, fmt.Errorf("open %s database: %w", d.driver, err)
	}
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("connect to %s database: %w", d.driver, err)
	}
	if d.driver == "postgres" {
		// Stay well under Postgres' default max_connections (100), so two
		// servers and a burst of requests queue in the pool instead of
		// failing. Every connection stays open between bursts (a new
		// backend costs a fork and an empty statement cache) and is
		// replaced after half an hour, or ten idle minutes.
		db.SetMaxOpenConns(postgresConns)
		db.SetMaxIdleConns(postgresConns)
		db.SetConnMaxLifetime(30 * time.Minute)
		db.SetConnMaxIdleTime(10 * time.Minute)
	} else {
		// SQLite has one writer at a time. With several connections a
		// writer that loses the lock sleeps in SQLite's busy handler (1, 2,
		// 5 … 100 ms back-off), which set p99 under load; one connection
		// makes requests queue in database/sql instead and wakes the next
		// one as soon as the previous statement ends. Nothing runs a
		// statement on DB() while holding a Tx, which would wait forever.
		db.SetMaxOpenConns(1)
		db.SetMaxIdleConns(1)
		if err := useWAL(ctx, db); err != nil {
			db.Close()
			return nil, err
		}
	}
	s := &Store{db: db, driver: d.driver}
	if err := migrate(ctx, s); err != nil {
		db.Close()
		return nil, err
	}
	if d.driver == "sqlite" {
		if s.stmts, err = prepare(ctx, db); err != nil {
			db.Close()
			return nil, err
		}
	}
	s.Users = users{}
	s.Tokens = tokens{}
	s.TwoFactor = twoFactor{}
	s.Audit = audit{}
	s.Throttle = throttle{}
	s.Policies = policies{}
	return s, nil
}

// dsnParts is a twofa DSN taken apart.
type dsnParts struct {
	driver string // "sqlite" or "postgres"
	source string // the database/sql driver's own source string
	path   string // the SQLite database file
}

// parseDSN splits a twofa DSN into the driver kind and the driver's own
// source string. The SQLite source sets no journal mode: useWAL does that
// once the connection is open (see there why).
func parseDSN(dsn string) (dsnParts, error) {
	switch {
	case strings.HasPrefix(dsn, "sqlite:"):
		path := strings.TrimPrefix(dsn, "sqlite:")
		path = strings.TrimPrefix(path, "//")
		if path == "" {
			return dsnParts{}, errors.New("sqlite DSN needs a file path: sqlite:/path/to/twofa.db")
		}
		if strings.ContainsAny(path, "?#") {
			return dsnParts{}, errors.New("sqlite file path must not contain '?' or '#'")
		}
		q := url.Values{}
		q.Add("_pragma", "busy_timeout(5000)")
		q.Add("_pragma", "foreign_keys(1)")
		q.Add("_pragma", "synchronous(NORMAL)")
		q.Set("_txlock", "immediate")
		return dsnParts{driver: "sqlite", source: "file:" + path + "?" + q.Encode(), path: path}, nil
	case strings.HasPrefix(dsn, "postgres://"), strings.HasPrefix(dsn, "postgresql://"):
		return dsnParts{driver: "postgres", source: dsn}, nil
	default:
		return dsnParts{}, errors.New(`database DSN must start with "sqlite:" or "postgres://"`)
	}
}

// isUniqueViolation reports whether err is a unique-constraint failure on either driver.
func isUniqueViolation(err error) bool {
	if err == nil {
		return false
	}
	msg := err.Error()
	return strings.Contains(msg, "UNIQUE constraint failed") || strings.Contains(msg, "SQLSTATE 23505")
}
