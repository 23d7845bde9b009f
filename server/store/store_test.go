package store

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/twofa/twofa/internal/harness/testdb"
)

func TestParseDSN(t *testing.T) {
	tests := []struct {
		dsn, driver, source, path string
		err                       bool
	}{
		{"sqlite:/tmp/x.db", "sqlite", "file:/tmp/x.db?_pragma=busy_timeout%285000%29&_pragma=foreign_keys%281%29&_pragma=synchronous%28NORMAL%29&_txlock=immediate", "/tmp/x.db", false},
		{"sqlite:///tmp/x.db", "sqlite", "", "/tmp/x.db", false},
		{"postgres://u@h/db", "postgres", "postgres://u@h/db", "", false},
		{"postgresql://u@h/db", "postgres", "postgresql://u@h/db", "", false},
		{"sqlite:", "", "", "", true},
		{"sqlite:/tmp/x.db?mode=memory", "", "", "", true},
		{"mysql://h/db", "", "", "", true},
		{"/tmp/x.db", "", "", "", true},
	}
	for _, tt := range tests {
		d, err := parseDSN(tt.dsn)
		if (err != nil) != tt.err || d.driver != tt.driver || (tt.source != "" && d.source != tt.source) || d.path != tt.path {
			t.Errorf("parseDSN(%q) = %+v, %v", tt.dsn, d, err)
		}
	}
}

// dsns returns a fresh SQLite DSN and, when configured, a fresh Postgres schema DSN.
func dsns(t *testing.T) map[string]string {
	out := map[string]string{"sqlite": testdb.New(t, testdb.SQLite).DSN}
	if os.Getenv(testdb.PostgresEnv) != "" {
		out["postgres"] = testdb.New(t, testdb.Postgres).DSN
	}
	return out
}

// TestMigrationsOnceUnderConcurrentOpen: several processes starting at
// once apply each migration exactly once, and reopening changes nothing.
func TestMigrationsOnceUnderConcurrentOpen(t *testing.T) {
	for name, dsn := range dsns(t) {
		t.Run(name, func(t *testing.T) {
			var wg sync.WaitGroup
			errs := make(chan error, 4)
			for i := 0; i < 4; i++ {
				wg.Add(1)
				go func() {
					defer wg.Done()
					s, err := Open(context.Background(), dsn)
					if err != nil {
						errs <- err
						return
					}
					s.Close()
				}()
			}
			wg.Wait()
			close(errs)
			for err := range errs {
				t.Fatalf("concurrent Open: %v", err)
			}
			s, err := Open(context.Background(), dsn)
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			want := migrationCount(t, s.Driver())
			var n int
			if err := s.DB().QueryRowContext(context.Background(), "SELECT COUNT(*) FROM schema_migrations").Scan(&n); err != nil || n != want {
				t.Fatalf("schema_migrations has %d rows (%v), want %d", n, err, want)
			}
		})
	}
}

// eachStore runs fn as a subtest per backend on a freshly opened store.
func eachStore(t *testing.T, fn func(t *testing.T, driver string, s *Store)) {
	for name, dsn := range dsns(t) {
		t.Run(name, func(t *testing.T) {
			s, err := Open(context.Background(), dsn)
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			fn(t, name, s)
		})
	}
}

// migrationCount is how many migrations are embedded for driver.
func migrationCount(t *testing.T, driver string) int {
	t.Helper()
	entries, err := fs.ReadDir(migrations, "migrations/"+driver)
	if err != nil || len(entries) == 0 {
		t.Fatalf("no migrations for %s: %v", driver, err)
	}
	return len(entries)
}

// TestAuditLogAppendOnly: the database itself refuses to change or remove
// audit rows — UPDATE, DELETE, and on Postgres TRUNCATE (alone, with
// CASCADE, or beside another table) — and the rows are still there.
func TestAuditLogAppendOnly(t *testing.T) {
	eachStore(t, func(t *testing.T, name string, s *Store) {
		ctx := context.Background()
		for i := 0; i < 3; i++ {
			if err := s.Audit.Append(ctx, s.DB(), Event{At: time.Now(), Event: "e", ClientAddr: "cli"}); err != nil {
				t.Fatal(err)
			}
		}
		refused := []string{"UPDATE audit_log SET detail = 'x'", "DELETE FROM audit_log", "DELETE FROM audit_log WHERE id = 1"}
		if name == "postgres" {
			refused = append(refused, "TRUNCATE audit_log", "TRUNCATE TABLE audit_log RESTART IDENTITY CASCADE", "TRUNCATE tokens, audit_log")
		}
		for _, q := range refused {
			if _, err := s.DB().ExecContext(ctx, q); err == nil || !strings.Contains(err.Error(), "append-only") {
				t.Errorf("%s: err %v, want the append-only refusal", q, err)
			}
		}
		events, err := s.Audit.List(ctx, s.DB(), "", 10)
		if err != nil || len(events) != 3 {
			t.Fatalf("%d audit rows left (%v), want 3", len(events), err)
		}
	})
}

// TestEnableComparesTheSecret: Enable turns on only the pending secret it
// is given — a setup that replaced it in between makes it ErrChanged and
// leaves 2FA off — and says ErrConflict once enabled, ErrNotFound with
// nothing pending.
func TestEnableComparesTheSecret(t *testing.T) {
	eachStore(t, func(t *testing.T, _ string, s *Store) {
		ctx := context.Background()
		now := time.Now()
		uid, err := s.Users.Create(ctx, s.DB(), "eve", "hash", "user", now)
		if err != nil {
			t.Fatal(err)
		}
		if err := s.TwoFactor.Enable(ctx, s.DB(), uid, "A", now); !errors.Is(err, ErrNotFound) {
			t.Fatalf("Enable with nothing pending: %v, want ErrNotFound", err)
		}
		if err := s.TwoFactor.StartEnrollment(ctx, s.DB(), uid, "A", nil, now); err != nil {
			t.Fatal(err)
		}
		read, err := s.TwoFactor.Enrollment(ctx, s.DB(), uid)
		if err != nil {
			t.Fatal(err)
		}
		if err := s.TwoFactor.StartEnrollment(ctx, s.DB(), uid, "B", nil, now); err != nil {
			t.Fatal(err)
		}
		if err := s.TwoFactor.Enable(ctx, s.DB(), uid, read.SecretEnc, now); !errors.Is(err, ErrChanged) {
			t.Fatalf("Enable of the replaced secret: %v, want ErrChanged", err)
		}
		if e, _ := s.TwoFactor.Enrollment(ctx, s.DB(), uid); e.State != StatePending || e.SecretEnc != "B" {
			t.Fatalf("after the refused Enable: %+v, want B pending", e)
		}
		if err := s.TwoFactor.Enable(ctx, s.DB(), uid, "B", now); err != nil {
			t.Fatal(err)
		}
		if err := s.TwoFactor.Enable(ctx, s.DB(), uid, "B", now); !errors.Is(err, ErrConflict) {
			t.Fatalf("Enable twice: %v, want ErrConflict", err)
		}
	})
}
