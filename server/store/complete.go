package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
)

// Completion is the write of a TOTP code at sign-in.
type Completion struct {
	UserID int64
	// Step is the code's time step, accepted only above the last one; nil
	// is a code that matched no step, which nothing accepts.
	Step *int64
	// SecretEnc is the encrypted secret the code was checked against: the
	// step is accepted only while it is still the account's enabled one.
	SecretEnc   string
	PendingHash string // the pending token spent
	SessionHash string // the session token issued, beginning its own family
	Expires     time.Time
	Audit       Event // the success's record; its UserID is the account's
}

// CompleteSignIn is TryCompleteSignIn followed, when the step was
// refused, by the read that says why: the lock (Refused), or else
// Replayed (the step not above the last one, no step, or a secret that
// is no longer the account's enabled one).
func (s *Store) CompleteSignIn(ctx context.Context, c Completion, now time.Time) (Verdict, error) {
	ok, err := s.TryCompleteSignIn(ctx, c, now)
	if err != nil || ok {
		return Accepted, err
	}
	return twoFactor{}.refusal(ctx, s.DB(), c.UserID, now, true)
}

// TryCompleteSignIn accepts c.Step as Accept does (not while locked, only
// above the last step, clearing the failure count) while c.SecretEnc is
// still the account's enabled secret, spends the pending token, stores the
// session and appends the audit record, all or nothing, and reports
// whether it did. A refusal writes nothing and is not explained; a pending
// token that is gone (expired or spent meanwhile) gives ErrNotFound and
// writes nothing either. A nil Step runs the same statements as a refused
// one. On Postgres it is one statement, so one round trip.
func (s *Store) TryCompleteSignIn(ctx context.Context, c Completion, now time.Time) (bool, error) {
	if s.driver != "postgres" {
		return s.completeInTx(ctx, c, now)
	}
	var accepted int
	err := s.db.QueryRowContext(ctx, completeSQL, c.UserID, now.Unix(), c.Step, c.SecretEnc, c.PendingHash,
		c.SessionHash, c.Expires.Unix(), c.Audit.At.Unix(), c.Audit.Username, c.Audit.Event,
		c.Audit.ClientAddr, c.Audit.Detail).Scan(&accepted)
	var pg *pgconn.PgError
	switch {
	case errors.As(err, &pg) && pg.Code == "23502" && pg.TableName == "audit_log" && pg.ColumnName == "event":
		return false, ErrNotFound
	case err != nil:
		return false, fmt.Errorf("complete sign-in: %w", err)
	}
	return accepted == 1, nil
}

// acceptSignInSQL is acceptStepSQL for a sign-in's code: a step must be
// given, and the account's enabled secret must still be $4, the one the
// code was checked against.
const acceptSignInSQL = acceptStepSQL + `
    AND CAST($3 AS BIGINT) IS NOT NULL
    AND EXISTS (SELECT 1 FROM totp_secrets WHERE user_id = $1 AND state = 'enabled' AND secret_enc = $4)`

// completeSQL is TryCompleteSignIn on Postgres. Each part after the first
// reads the rows the one before returned, so nothing happens unless the
// step was accepted. The pending token's row becomes the session's (new
// hash, kind, family and times; the pending hash is gone with it), which
// writes one row instead of a delete and an insert and needs no foreign
// key check, as user_id does not change. The audit row's event comes from
// that row: when no pending token was spent it is NULL, the column's NOT
// NULL refuses the INSERT, and the whole statement — the accepted step
// too — is undone.
const completeSQL = `
WITH accepted AS (` + acceptSignInSQL + `
    RETURNING id
), issued AS (
    UPDATE tokens SET hash = $6, kind = 'session', family = $6, family_started = $2, created_at = $2, expires_at = $7, replaced_at = NULL
    WHERE hash = $5 AND kind = 'pending' AND expires_at > $2 AND user_id IN (SELECT id FROM accepted)
    RETURNING user_id
), logged AS (
    INSERT INTO audit_log (at, user_id, username, event, client_addr, detail)
    SELECT CAST($8 AS BIGINT), id, CAST($9 AS TEXT), (SELECT CAST($10 AS TEXT) FROM issued), CAST($11 AS TEXT), CAST($12 AS TEXT) FROM accepted
)
SELECT count(*) FROM accepted`

// becomeSessionSQL turns the live pending token's row into the session's
// (see completeSQL), in SQLite's transaction.
const becomeSessionSQL = `
UPDATE tokens SET hash = $3, kind = 'session', family = $3, family_started = $2, created_at = $2, expires_at = $4, replaced_at = NULL
WHERE hash = $1 AND kind = 'pending' AND expires_at > $2`

// completeInTx is TryCompleteSignIn as a transaction of single statements.
func (s *Store) completeInTx(ctx context.Context, c Completion, now time.Time) (bool, error) {
	accepted := false
	err := s.Tx(ctx, func(h Handle) error {
		res, err := h.ExecContext(ctx, acceptSignInSQL, c.UserID, now.Unix(), c.Step, c.SecretEnc)
		if err != nil {
			return fmt.Errorf("accept sign-in code: %w", err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return nil
		}
		res, err = h.ExecContext(ctx, becomeSessionSQL, c.PendingHash, now.Unix(), c.SessionHash, c.Expires.Unix())
		if err != nil {
			return fmt.Errorf("issue session: %w", err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return ErrNotFound
		}
		uid := c.UserID
		c.Audit.UserID = &uid
		if err := s.Audit.Append(ctx, h, c.Audit); err != nil {
			return err
		}
		accepted = true
		return nil
	})
	return accepted && err == nil, err
}
