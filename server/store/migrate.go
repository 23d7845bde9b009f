package store

import (
	"context"
	"embed"
	"fmt"
	"io/fs"
	"sort"
	"strconv"
	"strings"
)

//go:embed migrations
var migrations embed.FS

// migrate applies, in order and each in its own transaction, every embedded
// migration for the store's driver that the database has not seen yet.
// On Postgres an advisory lock keeps two servers starting at once from
// applying the same migration twice.
func migrate(ctx context.Context, s *Store) error {
	dir := "migrations/" + s.driver
	entries, err := fs.ReadDir(migrations, dir)
	if err != nil {
		return fmt.Errorf("read migrations: %w", err)
	}
	type step struct {
		version int
		name    string
	}
	var steps []step
	for _, e := range entries {
		num, _, ok := strings.Cut(e.Name(), "_")
		if !ok || !strings.HasSuffix(e.Name(), ".sql") {
			continue
		}
		v, err := strconv.Atoi(num)
		if err != nil {
			return fmt.Errorf("migration %s: bad number: %w", e.Name(), err)
		}
		steps = append(steps, step{v, e.Name()})
	}
	sort.Slice(steps, func(i, j int) bool { return steps[i].version < steps[j].version })

	for _, st := range steps {
		body, err := migrations.ReadFile(dir + "/" + st.name)
		if err != nil {
			return fmt.Errorf("read migration %s: %w", st.name, err)
		}
		err = s.Tx(ctx, func(h Handle) error {
			if s.driver == "postgres" {
				if _, err := h.ExecContext(ctx, "SELECT pg_advisory_xact_lock(727350001)"); err != nil {
					return fmt.Errorf("lock migrations: %w", err)
				}
			}
			if _, err := h.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)`); err != nil {
				return fmt.Errorf("create schema_migrations: %w", err)
			}
			var n int
			if err := h.QueryRowContext(ctx, "SELECT COUNT(*) FROM schema_migrations WHERE version = $1", st.version).Scan(&n); err != nil {
				return fmt.Errorf("check migration %d: %w", st.version, err)
			}
			if n > 0 {
				return nil
			}
			if _, err := h.ExecContext(ctx, string(body)); err != nil {
				return fmt.Errorf("apply migration %s: %w", st.name, err)
			}
			if _, err := h.ExecContext(ctx, "INSERT INTO schema_migrations (version, applied_at) VALUES ($1, CURRENT_TIMESTAMP)", st.version); err != nil {
				return fmt.Errorf("record migration %d: %w", st.version, err)
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
	return nil
}
