package store

import (
	"context"
	"database/sql"
	"fmt"
)

// hotStatements are the statements of sign-in and validation. On SQLite
// they are prepared once at Open: modernc compiles every statement it is
// given unprepared, which cost more than running these small ones.
// (pgx caches prepared statements per connection by itself.)
var hotStatements = []string{
	pendingSQL, consumePendingSQL, insertTokenSQL, lookupTokenSQL,
	userByIDSQL, userByNameSQL, enrollmentSQL, appendAuditSQL,
	guardSQL, chargeSQL, acceptStepSQL, acceptSQL, refuseSQL,
	findBackupSQL, spendBackupSQL, becomeSessionSQL, acceptSignInSQL,
	lockThrottleSQL, saveThrottleSQL, knownSQL, rememberSQL,
}

// prepared maps a statement's text to the statement prepared once.
type prepared map[string]*sql.Stmt

// prepare prepares every hot statement on db.
func prepare(ctx context.Context, db *sql.DB) (prepared, error) {
	p := prepared{}
	for _, q := range hotStatements {
		st, err := db.PrepareContext(ctx, q)
		if err != nil {
			p.close()
			return nil, fmt.Errorf("prepare statement: %w", err)
		}
		p[q] = st
	}
	return p, nil
}

// close closes every prepared statement.
func (p prepared) close() {
	for _, st := range p {
		_ = st.Close()
	}
}

// dbHandle runs statements on the pool, the hot ones prepared.
type dbHandle struct {
	db    *sql.DB
	stmts prepared
}

func (d dbHandle) ExecContext(ctx context.Context, q string, args ...any) (sql.Result, error) {
	if st, ok := d.stmts[q]; ok {
		return st.ExecContext(ctx, args...)
	}
	return d.db.ExecContext(ctx, q, args...)
}

func (d dbHandle) QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	if st, ok := d.stmts[q]; ok {
		return st.QueryContext(ctx, args...)
	}
	return d.db.QueryContext(ctx, q, args...)
}

func (d dbHandle) QueryRowContext(ctx context.Context, q string, args ...any) *sql.Row {
	if st, ok := d.stmts[q]; ok {
		return st.QueryRowContext(ctx, args...)
	}
	return d.db.QueryRowContext(ctx, q, args...)
}

// txHandle runs statements in a transaction, the hot ones through the
// statement prepared on the pool (database/sql reuses it on the
// transaction's connection when it was prepared there, as it is with
// SQLite's one connection).
type txHandle struct {
	tx    *sql.Tx
	stmts prepared
}

func (t txHandle) ExecContext(ctx context.Context, q string, args ...any) (sql.Result, error) {
	if st, ok := t.stmts[q]; ok {
		return t.tx.StmtContext(ctx, st).ExecContext(ctx, args...)
	}
	return t.tx.ExecContext(ctx, q, args...)
}

func (t txHandle) QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	if st, ok := t.stmts[q]; ok {
		return t.tx.StmtContext(ctx, st).QueryContext(ctx, args...)
	}
	return t.tx.QueryContext(ctx, q, args...)
}

func (t txHandle) QueryRowContext(ctx context.Context, q string, args ...any) *sql.Row {
	if st, ok := t.stmts[q]; ok {
		return t.tx.StmtContext(ctx, st).QueryRowContext(ctx, args...)
	}
	return t.tx.QueryRowContext(ctx, q, args...)
}
