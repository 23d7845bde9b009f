package testdb

import (
	"database/sql"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestSQLite: the file lives in the test's temporary directory and the
// DSN names it.
func TestSQLite(t *testing.T) {
	for _, b := range []Backend{SQLite, ""} {
		db := New(t, b)
		if db.Backend != SQLite || len(db.Files) != 3 || db.DSN != "sqlite:"+db.Files[0] || filepath.Base(db.Files[0]) != "twofa.db" {
			t.Fatalf("New(%q) = %+v", b, db)
		}
	}
}

// TestPostgres: each database is a schema of its own that the DSN's
// search_path selects, and it is dropped when its test ends.
func TestPostgres(t *testing.T) {
	if os.Getenv(PostgresEnv) == "" {
		t.Skip(PostgresEnv + " not set: skipping Postgres tests")
	}
	var schema string
	t.Run("make", func(t *testing.T) {
		db := New(t, Postgres)
		other := New(t, Postgres)
		if db.Backend != Postgres || db.Files != nil || db.DSN == other.DSN || !strings.Contains(db.DSN, "search_path=t_") {
			t.Fatalf("New = %+v and %+v", db, other)
		}
		conn, err := sql.Open("pgx", db.DSN)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		if err := conn.QueryRow("SELECT current_schema()").Scan(&schema); err != nil || !strings.HasSuffix(db.DSN, "search_path="+schema) {
			t.Fatalf("current_schema() = %q, %v for %s", schema, err, db.DSN)
		}
	})
	conn, err := sql.Open("pgx", os.Getenv(PostgresEnv))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	var n int
	if err := conn.QueryRow("SELECT count(*) FROM pg_namespace WHERE nspname = $1", schema).Scan(&n); err != nil || n != 0 {
		t.Fatalf("schema %q still there after its test (%d, %v)", schema, n, err)
	}
}

// TestPostgresSkipsWithoutDSN: without the variable a Postgres database
// skips the test instead of failing it.
func TestPostgresSkipsWithoutDSN(t *testing.T) {
	t.Setenv(PostgresEnv, "")
	skipped := t.Run("postgres", func(t *testing.T) {
		New(t, Postgres)
		t.Error("New returned without a DSN")
	})
	if !skipped {
		t.Fatal("the subtest failed")
	}
}
