package main

import (
	"context"
	"database/sql"
	"fmt"
	"sync/atomic"
	"time"

	"github.com/twofa/twofa/server/store"
)

// acceptStepSQL is the one conditional UPDATE a TOTP validation needs: the
// statement the server's store runs to accept a time step exactly once.
const acceptStepSQL = "UPDATE users SET totp_last_step = $2 WHERE id = $1 AND (totp_last_step IS NULL OR totp_last_step < $2)"

// dbFloor runs ops conditional UPDATEs on the users table from conc
// goroutines, each on its own accounts with rising steps far beyond any
// real one, through a store opened like the server opens it (same DSN, same
// pragmas and pool), and returns the rate.
func dbFloor(ctx context.Context, dsn string, ops, conc int) (float64, error) {
	return dbFloorConns(ctx, dsn, ops, conc, 0)
}

// dbFloorConns is dbFloor with the pool limited to conns connections (0 =
// the pool as the server configures it).
func dbFloorConns(ctx context.Context, dsn string, ops, conc, conns int) (float64, error) {
	st, err := store.Open(ctx, dsn)
	if err != nil {
		return 0, fmt.Errorf("open the database: %w", err)
	}
	defer st.Close()
	if conns > 0 {
		db, ok := st.DB().(*sql.DB)
		if !ok {
			return 0, fmt.Errorf("store handle is %T, not *sql.DB: cannot size its pool", st.DB())
		}
		db.SetMaxOpenConns(conns)
	}
	var ids []int64
	rows, err := st.DB().QueryContext(ctx, "SELECT id FROM users ORDER BY id")
	if err != nil {
		return 0, fmt.Errorf("list users: %w", err)
	}
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return 0, fmt.Errorf("list users: %w", err)
		}
		ids = append(ids, id)
	}
	rows.Close()
	if len(ids) < conc {
		return 0, fmt.Errorf("need at least %d users for the floor, have %d", conc, len(ids))
	}
	// Steps far beyond any real one and beyond earlier floor runs, so every
	// UPDATE changes exactly one row.
	var base int64
	if err := st.DB().QueryRowContext(ctx, "SELECT COALESCE(MAX(totp_last_step), 0) FROM users").Scan(&base); err != nil {
		return 0, fmt.Errorf("read the last steps: %w", err)
	}
	base = max(base, int64(stepAt(time.Now()))+1_000_000)
	var next atomic.Int64
	start := time.Now()
	err = parallel(conc, func(c int) error {
		step := base
		for i := 0; ; i++ {
			if next.Add(1) > int64(ops) {
				return nil
			}
			id := ids[c+(i%(len(ids)/conc))*conc]
			step++
			res, err := st.DB().ExecContext(ctx, acceptStepSQL, id, step)
			if err != nil {
				return fmt.Errorf("conditional update: %w", err)
			}
			if n, _ := res.RowsAffected(); n != 1 {
				return fmt.Errorf("conditional update changed %d rows, want 1", n)
			}
		}
	})
	return float64(ops) / time.Since(start).Seconds(), err
}
