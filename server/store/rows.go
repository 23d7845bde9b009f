package store

import (
	"context"
	"fmt"
)

// rowScanner is a row to scan: *sql.Row or the current row of *sql.Rows.
type rowScanner interface{ Scan(dest ...any) error }

// queryRows runs query and hands each row it answers to row; what the
// query is for names it in every error.
func queryRows(ctx context.Context, h Handle, what string, row func(rowScanner) error, query string, args ...any) error {
	rows, err := h.QueryContext(ctx, query, args...)
	if err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	defer rows.Close()
	for rows.Next() {
		if err := row(rows); err != nil {
			return fmt.Errorf("%s: %w", what, err)
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	return nil
}

// queryAll is queryRows collecting the value scan makes of each row.
func queryAll[T any](ctx context.Context, h Handle, what string, scan func(rowScanner) (T, error), query string, args ...any) ([]T, error) {
	var out []T
	err := queryRows(ctx, h, what, func(r rowScanner) error {
		v, err := scan(r)
		out = append(out, v)
		return err
	}, query, args...)
	if err != nil {
		return nil, err
	}
	return out, nil
}
