package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// Event is one row of the append-only audit log.
type Event struct {
	ID         int64
	At         time.Time
	UserID     *int64
	Username   string
	Event      string
	ClientAddr string
	Detail     string
}

// Audit is the append-only security log.
type Audit interface {
	// Append adds one event; the database refuses updates and deletes of the table.
	Append(ctx context.Context, h Handle, e Event) error
	// List returns the newest events first, only username's when it is not
	// empty, at most limit of them.
	List(ctx context.Context, h Handle, username string, limit int) ([]Event, error)
	// LastOf returns, per account id, when it last had an event of the given name.
	LastOf(ctx context.Context, h Handle, event string) (map[int64]time.Time, error)
}

type audit struct{}

const appendAuditSQL = "INSERT INTO audit_log (at, user_id, username, event, client_addr, detail) VALUES ($1, $2, $3, $4, $5, $6)"

func (audit) Append(ctx context.Context, h Handle, e Event) error {
	var uid sql.NullInt64
	if e.UserID != nil {
		uid = sql.NullInt64{Int64: *e.UserID, Valid: true}
	}
	_, err := h.ExecContext(ctx, appendAuditSQL,
		e.At.Unix(), uid, e.Username, e.Event, e.ClientAddr, e.Detail)
	if err != nil {
		return fmt.Errorf("append audit event: %w", err)
	}
	return nil
}

func (audit) List(ctx context.Context, h Handle, username string, limit int) ([]Event, error) {
	q := "SELECT id, at, user_id, username, event, client_addr, detail FROM audit_log"
	args := []any{}
	if username != "" {
		q += " WHERE username = $1 ORDER BY id DESC LIMIT $2"
		args = append(args, username, limit)
	} else {
		q += " ORDER BY id DESC LIMIT $1"
		args = append(args, limit)
	}
	return queryAll(ctx, h, "read audit log", scanEvent, q, args...)
}

func scanEvent(r rowScanner) (Event, error) {
	var e Event
	var at int64
	var uid sql.NullInt64
	if err := r.Scan(&e.ID, &at, &uid, &e.Username, &e.Event, &e.ClientAddr, &e.Detail); err != nil {
		return Event{}, err
	}
	e.At = time.Unix(at, 0).UTC()
	if uid.Valid {
		v := uid.Int64
		e.UserID = &v
	}
	return e, nil
}

func (audit) LastOf(ctx context.Context, h Handle, event string) (map[int64]time.Time, error) {
	out := map[int64]time.Time{}
	err := queryRows(ctx, h, "read audit log", func(r rowScanner) error {
		var id, at int64
		err := r.Scan(&id, &at)
		out[id] = time.Unix(at, 0).UTC()
		return err
	}, "SELECT user_id, MAX(at) FROM audit_log WHERE event = $1 AND user_id IS NOT NULL GROUP BY user_id", event)
	if err != nil {
		return nil, err
	}
	return out, nil
}
