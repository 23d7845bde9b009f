package store

import (
	"context"
	"errors"
	"testing"
	"time"
)

// TestCompleteSignInAllOrNothing: CompleteSignIn writes the step, the
// spent pending token, the session and the audit record together, and
// nothing at all when the step is replayed or missing, the account locked,
// its secret no longer the one the code was checked against, or the
// pending token gone (expired, or spent by another completion) — then the
// same step is still acceptable and the failure count untouched.
func TestCompleteSignInAllOrNothing(t *testing.T) {
	eachStore(t, func(t *testing.T, _ string, s *Store) {
		ctx := context.Background()
		now := time.Unix(1_900_000_000, 0)
		tests := []struct {
			name    string
			setup   func(t *testing.T, uid int64)
			edit    func(c *Completion)
			want    Verdict
			wantErr error
		}{
			{"accepted", nil, nil, Accepted, nil},
			{"replayed step", func(t *testing.T, uid int64) { s.exec(t, "UPDATE users SET totp_last_step = 100 WHERE id = $1", uid) }, nil, Replayed, nil},
			{"no step", nil, func(c *Completion) { c.Step = nil }, Replayed, nil},
			{"no step, never a step", func(t *testing.T, uid int64) { s.exec(t, "UPDATE users SET totp_last_step = NULL WHERE id = $1", uid) },
				func(c *Completion) { c.Step = nil }, Replayed, nil},
			{"secret replaced", nil, func(c *Completion) { c.SecretEnc = "an older secret" }, Replayed, nil},
			{"secret disabled", func(t *testing.T, uid int64) { s.exec(t, "DELETE FROM totp_secrets WHERE user_id = $1", uid) }, nil, Replayed, nil},
			{"locked", func(t *testing.T, uid int64) {
				s.exec(t, "UPDATE users SET tfa_failed = 5, tfa_locked_until = $2 WHERE id = $1", uid, now.Add(time.Minute).Unix())
			}, nil, Refused, nil},
			{"pending expired", func(t *testing.T, uid int64) {
				s.exec(t, "UPDATE tokens SET expires_at = $1 WHERE kind = 'pending'", now.Unix())
			}, nil, 0, ErrNotFound},
			{"pending spent", func(t *testing.T, uid int64) { s.exec(t, "DELETE FROM tokens WHERE kind = 'pending'") }, nil, 0, ErrNotFound},
		}
		for i, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				uid, err := s.Users.Create(ctx, s.DB(), "u"+string(rune('a'+i)), "hash", "user", now)
				if err != nil {
					t.Fatal(err)
				}
				s.exec(t, "UPDATE users SET tfa_failed = 2, totp_last_step = 99 WHERE id = $1", uid)
				s.exec(t, "INSERT INTO totp_secrets (user_id, secret_enc, state, created_at, enabled_at) VALUES ($1, 'enc', 'enabled', $2, $2)", uid, now.Unix())
				pending := NewToken{Hash: "pending-" + tt.name, UserID: uid, Kind: KindPending}
				if err := s.Tokens.Insert(ctx, s.DB(), pending, now, now.Add(5*time.Minute)); err != nil {
					t.Fatal(err)
				}
				if tt.setup != nil {
					tt.setup(t, uid)
				}
				before := s.count(t, "SELECT count(*) FROM audit_log")
				step := int64(100)
				c := Completion{UserID: uid, Step: &step, SecretEnc: "enc", PendingHash: pending.Hash, SessionHash: "session-" + tt.name,
					Expires: now.Add(time.Hour), Audit: Event{At: now, Username: "u", Event: "signin_ok", ClientAddr: "cli", Detail: "totp"}}
				if tt.edit != nil {
					tt.edit(&c)
				}
				v, err := s.CompleteSignIn(ctx, c, now)
				if !errors.Is(err, tt.wantErr) || (err == nil && v != tt.want) {
					t.Fatalf("CompleteSignIn = %v, %v; want %v, %v", v, err, tt.want, tt.wantErr)
				}
				sessions := s.count(t, "SELECT count(*) FROM tokens WHERE hash = $1 AND kind = 'session' AND user_id = $2 AND family = $1", c.SessionHash, uid)
				audits := s.count(t, "SELECT count(*) FROM audit_log") - before
				failed := s.count(t, "SELECT tfa_failed FROM users WHERE id = $1", uid)
				if tt.want == Accepted && tt.wantErr == nil {
					if sessions != 1 || audits != 1 || failed != 0 || s.count(t, "SELECT count(*) FROM tokens WHERE hash = $1", pending.Hash) != 0 {
						t.Fatalf("accepted: %d sessions, %d audit rows, failed %d, pending left; want 1, 1, 0, spent", sessions, audits, failed)
					}
					return
				}
				if sessions != 0 || audits != 0 || failed == 0 {
					t.Fatalf("refused: %d sessions, %d audit rows, failed %d; want nothing written", sessions, audits, failed)
				}
				if tt.wantErr != nil {
					if ok, err := s.TwoFactor.AcceptStep(ctx, s.DB(), uid, 100); err != nil || !ok {
						t.Fatalf("the step after a refused completion: accepted %v (%v), want it still unused", ok, err)
					}
				}
			})
		}
	})
}

// exec runs a statement of a test's setup.
func (s *Store) exec(t *testing.T, q string, args ...any) {
	t.Helper()
	if _, err := s.db.ExecContext(context.Background(), q, args...); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
}

// count runs a query of one integer.
func (s *Store) count(t *testing.T, q string, args ...any) int {
	t.Helper()
	var n int
	if err := s.db.QueryRowContext(context.Background(), q, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return n
}
