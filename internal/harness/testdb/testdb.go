// Package testdb makes an empty database for one test: a SQLite file in
// t.TempDir(), or a Postgres schema of its own in the database named by
// TWOFA_TEST_POSTGRES_DSN (the test is skipped without it). Either is
// removed when the test ends.
package testdb

import (
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" driver, to create and drop schemas
)

// PostgresEnv names the variable holding the Postgres DSN tests run
// against; without it Postgres tests are skipped.
const PostgresEnv = "TWOFA_TEST_POSTGRES_DSN"

// Backend is a kind of database.
type Backend string

// The backends the reference server runs on.
const (
	SQLite   Backend = "sqlite"
	Postgres Backend = "postgres"
)

// Backends lists every backend a suite runs on.
func Backends() []Backend { return []Backend{SQLite, Postgres} }

// Database is an empty database made for one test.
type Database struct {
	Backend Backend
	DSN     string   // as server.Options.DSN takes it
	Files   []string // the files that hold it (SQLite), for tests that read them raw
}

// New makes a fresh database of backend b ("" is SQLite), removed
// when the test ends. For Postgres it creates a schema of its own in the
// database of PostgresEnv and points the DSN's search_path at it; without
// PostgresEnv the test is skipped.
func New(t testing.TB, b Backend) Database {
	t.Helper()
	switch b {
	case SQLite, "":
		p := filepath.Join(t.TempDir(), "twofa.db")
		return Database{Backend: SQLite, DSN: "sqlite:" + p, Files: []string{p, p + "-wal", p + "-shm"}}
	case Postgres:
		return Database{Backend: Postgres, DSN: postgresSchema(t)}
	}
	t.Fatalf("testdb: unknown backend %q", b)
	return Database{}
}

// postgresSchema creates a schema dropped after the test and returns a DSN
// whose search_path points at it.
func postgresSchema(t testing.TB) string {
	t.Helper()
	base := os.Getenv(PostgresEnv)
	if base == "" {
		t.Skip(PostgresEnv + " not set: skipping Postgres tests")
	}
	b := make([]byte, 6)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	schema := "t_" + hex.EncodeToString(b)
	db, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatalf("testdb: open postgres: %v", err)
	}
	if _, err := db.Exec("CREATE SCHEMA " + schema); err != nil {
		db.Close()
		t.Fatalf("testdb: create schema: %v", err)
	}
	t.Cleanup(func() {
		db.Exec("DROP SCHEMA " + schema + " CASCADE")
		db.Close()
	})
	sep := "?"
	if strings.Contains(base, "?") {
		sep = "&"
	}
	return base + sep + "search_path=" + schema
}
