package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
)

// Completion is the write of a right TOTP code at sign-in.
type Completion struct {
	UserID      int64
	Step        int64  // the code's time step, accepted only above the last one
	PendingHash string // the pending token spent
	SessionHash string // the session token issued, beginning its own family
	Expires     time.Time
	Audit       Event // the success's record; its UserID is the account's
}

// CompleteSignIn accepts c.Step as Accept does (not while locked, only
// above the last step, clearing the failure count), spends the pending
// token, stores the session and appends the audit record, all or nothing.
// A refused step writes nothing and gives its verdict; a pending token
// that is gone (expired or spent meanwhile) gives ErrNotFound and writes
// nothing either. On Postgres it is one statement, so one round trip.
func (s *Store) CompleteSignIn(ctx context.Context, c Completion, now time.Time) (Verdict, error) {
	if s.driver != "postgres" {
		return s.completeInTx(ctx, c, now)
	}
	var accepted int
	err := s.db.QueryRowContext(ctx, completeSQL, c.UserID, now.Unix(), c.Step, c.PendingHash,
		c.SessionHash, c.Expires.Unix(), c.Audit.At.Unix(), c.Audit.Username, c.Audit.Event,
		c.Audit.ClientAddr, c.Audit.Detail).Scan(&accepted)
	var pg *pgconn.PgError
	switch {
	case errors.As(err, &pg) && pg.Code == "23502" && pg.TableName == "audit_log" && pg.ColumnName == "event":
		return 0, ErrNotFound
	case err != nil:
		return 0, fmt.Errorf("complete sign-in: %w", err)
	case accepted == 1:
		return Accepted, nil
	}
	return twoFactor{}.refusal(ctx, s.DB(), c.UserID, now, true)
}

// completeSQL is CompleteSignIn on Postgres. Each part after the first
// reads the rows the one before returned, so nothing happens unless the
// step was accepted. The pending token's row becomes the session's (new
// hash, kind, family and times; the pending hash is gone with it), which
// writes one row instead of a delete and an insert and needs no foreign
// key check, as user_id does not change. The audit row's event comes from
// that row: when no pending token was spent it is NULL, the column's NOT
// NULL refuses the INSERT, and the whole statement — the accepted step
// too — is undone.
const completeSQL = `
WITH accepted AS (
    UPDATE users SET totp_last_step = $3, tfa_failed = 0, tfa_locked_until = NULL, tfa_lock_reported = NULL
    WHERE id = $1 AND (tfa_locked_until IS NULL OR tfa_locked_until <= $2) AND (totp_last_step IS NULL OR totp_last_step < $3)
    RETURNING id
), issued AS (
    UPDATE tokens SET hash = $5, kind = 'session', family = $5, family_started = $2, created_at = $2, expires_at = $6, replaced_at = NULL
    WHERE hash = $4 AND kind = 'pending' AND expires_at > $2 AND user_id IN (SELECT id FROM accepted)
    RETURNING user_id
), logged AS (
    INSERT INTO audit_log (at, user_id, username, event, client_addr, detail)
    SELECT CAST($7 AS BIGINT), id, CAST($8 AS TEXT), (SELECT CAST($9 AS TEXT) FROM issued), CAST($10 AS TEXT), CAST($11 AS TEXT) FROM accepted
)
SELECT count(*) FROM accepted`

// becomeSessionSQL turns the live pending token's row into the session's
// (see completeSQL), in SQLite's transaction.
const becomeSessionSQL = `
UPDATE tokens SET hash = $3, kind = 'session', family = $3, family_started = $2, created_at = $2, expires_at = $4, replaced_at = NULL
WHERE hash = $1 AND kind = 'pending' AND expires_at > $2`

// completeInTx is CompleteSignIn as a transaction of single statements.
func (s *Store) completeInTx(ctx context.Context, c Completion, now time.Time) (Verdict, error) {
	var v Verdict
	err := s.Tx(ctx, func(h Handle) error {
		var err error
		if v, err = s.TwoFactor.Accept(ctx, h, c.UserID, now, &c.Step); err != nil || v != Accepted {
			return err
		}
		res, err := h.ExecContext(ctx, becomeSessionSQL, c.PendingHash, now.Unix(), c.SessionHash, c.Expires.Unix())
		if err != nil {
			return fmt.Errorf("issue session: %w", err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return ErrNotFound
		}
		uid := c.UserID
		c.Audit.UserID = &uid
		return s.Audit.Append(ctx, h, c.Audit)
	})
	return v, err
}
