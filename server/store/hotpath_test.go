package store

import (
	"context"
	"strings"
	"testing"
	"time"
)

// TestPurgeUsesExpiryIndex: the sweep's DELETE of expired tokens finds
// them through tokens_expires (migration 005), not by scanning the table,
// on SQLite (EXPLAIN QUERY PLAN) and on Postgres (EXPLAIN with sequential
// scans off, which only an index can satisfy).
func TestPurgeUsesExpiryIndex(t *testing.T) {
	eachStore(t, func(t *testing.T, name string, s *Store) {
		ctx := context.Background()
		q, want := "EXPLAIN QUERY PLAN DELETE FROM tokens WHERE expires_at <= 1", "INDEX tokens_expires"
		if name == "postgres" {
			q, want = "EXPLAIN DELETE FROM tokens WHERE expires_at <= 1", "tokens_expires"
			conn, err := s.db.Conn(ctx)
			if err != nil {
				t.Fatal(err)
			}
			defer conn.Close()
			if _, err := conn.ExecContext(ctx, "SET enable_seqscan = off"); err != nil {
				t.Fatal(err)
			}
			rows, err := conn.QueryContext(ctx, q)
			if err != nil {
				t.Fatal(err)
			}
			checkPlan(t, rows.Next, func() string { var l string; _ = rows.Scan(&l); return l }, want)
			rows.Close()
			return
		}
		rows, err := s.db.QueryContext(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		checkPlan(t, rows.Next, func() string {
			var id, parent, unused int
			var detail string
			_ = rows.Scan(&id, &parent, &unused, &detail)
			return detail
		}, want)
	})
}

// checkPlan reads a plan's lines and fails unless one holds want.
func checkPlan(t *testing.T, next func() bool, line func() string, want string) {
	t.Helper()
	var plan []string
	for next() {
		plan = append(plan, line())
	}
	if !strings.Contains(strings.Join(plan, "\n"), want) {
		t.Fatalf("plan of the purge:\n%s\nwant %q", strings.Join(plan, "\n"), want)
	}
}

// TestHotStatementsPrepared: on SQLite every hot statement is prepared at
// Open (each one valid SQL for its schema) and used in and out of a
// transaction; Postgres leaves that to pgx's own statement cache.
func TestHotStatementsPrepared(t *testing.T) {
	eachStore(t, func(t *testing.T, name string, s *Store) {
		ctx := context.Background()
		want := len(hotStatements)
		if name == "postgres" {
			want = 0
		}
		if len(s.stmts) != want {
			t.Fatalf("%d statements prepared, want %d", len(s.stmts), want)
		}
		id, err := s.Users.Create(ctx, s.DB(), "prep", "x", "user", time.Unix(1, 0))
		if err != nil {
			t.Fatal(err)
		}
		err = s.Tx(ctx, func(h Handle) error {
			if _, err := s.Users.ByID(ctx, h, id); err != nil {
				return err
			}
			_, err := s.TwoFactor.Accept(ctx, h, id, time.Unix(2, 0), nil)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.TwoFactor.Guard(ctx, s.DB(), id); err != nil {
			t.Fatal(err)
		}
	})
}
