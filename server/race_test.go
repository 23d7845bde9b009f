package server_test

import (
	"context"
	"sync"
	"testing"

	"github.com/twofa/twofa/server"
)

const racers = 200

// statusCounts runs n requests at once (each built by mk from its index,
// across the given envs in turn) and counts the answers by status and code.
func statusCounts(t *testing.T, envs []*env, n int, mk func(i int, e *env) resp) map[string]int {
	t.Helper()
	return burst(t, envs, n, 1, func(c, _ int, e *env) resp { return mk(c, e) })
}

// pendings signs u in n times and returns the pending tokens.
func pendings(e *env, u enrolled, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = e.pending(u)
	}
	return out
}

// raceBackupCode: 200 concurrent redemptions of one backup code, spread
// over envs → exactly one session, nine codes left.
func raceBackupCode(t *testing.T, envs []*env) {
	e := envs[0]
	u := e.enroll("race-backup")
	pts := pendings(e, u, racers)
	counts := statusCounts(t, envs, racers, func(i int, e *env) resp {
		return e.do("POST", "/api/auth/2fa/validate", "", map[string]string{"temp_token": pts[i], "backup_code": u.codes[0]})
	})
	if counts["200 "] != 1 {
		t.Fatalf("one backup code gave %d sessions (answers %v), want exactly 1", counts["200 "], counts)
	}
	for k := range counts {
		if k != "200 " && k != "401 invalid_code" && k != "429 locked_out" {
			t.Fatalf("unexpected answer %q (answers %v)", k, counts)
		}
	}
	remaining, total, err := e.srv.Store().TwoFactor.CountBackupCodes(context.Background(), e.srv.Store().DB(), u.id)
	if err != nil {
		t.Fatal(err)
	}
	if remaining != 9 || total != 10 {
		t.Fatalf("%d of %d codes left, want 9 of 10", remaining, total)
	}
	if n := countEvents(t, e, u.name, server.EventBackupCodeUsed); n != 1 {
		t.Fatalf("%d backup_code_used events, want 1", n)
	}
}

// raceWrongCodes: 200 concurrent wrong codes, spread over envs → exactly 5
// evaluated (401 invalid_code), the rest refused as locked without a look.
func raceWrongCodes(t *testing.T, envs []*env) {
	e := envs[0]
	u := e.enroll("race-wrong")
	pts := pendings(e, u, racers)
	counts := statusCounts(t, envs, racers, func(i int, e *env) resp {
		return e.do("POST", "/api/auth/2fa/validate", "", map[string]string{"temp_token": pts[i], "code": "000000"})
	})
	if counts["401 invalid_code"] != server.MaxFailures || counts["429 locked_out"] != racers-server.MaxFailures {
		t.Fatalf("answers %v: want exactly %d evaluated and %d locked out", counts, server.MaxFailures, racers-server.MaxFailures)
	}
	if n := countEvents(t, e, u.name, server.EventTwoFactorFailed); n != server.MaxFailures {
		t.Fatalf("%d failed attempts evaluated, want %d", n, server.MaxFailures)
	}
}

// TestConcurrentBackupRedemption runs the backup-code race on each backend.
func TestConcurrentBackupRedemption(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		raceBackupCode(t, []*env{newEnv(t, b)})
	})
}

// TestConcurrentWrongCodes runs the wrong-code race on each backend.
func TestConcurrentWrongCodes(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		raceWrongCodes(t, []*env{newEnv(t, b)})
	})
}

// TestTwoServersOnePostgres: two server instances on one Postgres database
// split each race between them and both stay exact.
func TestTwoServersOnePostgres(t *testing.T) {
	envs := twoServers(t, nil)
	t.Run("backup code", func(t *testing.T) { raceBackupCode(t, envs) })
	t.Run("wrong codes", func(t *testing.T) { raceWrongCodes(t, envs) })
}

// TestSpendBackupCodeStatement: 200 goroutines run the spend statement on
// one row directly; exactly one affects it.
func TestSpendBackupCodeStatement(t *testing.T) {
	forEachEnv(t, func(t *testing.T, e *env) {
		u := e.enroll("race-store")
		ctx := context.Background()
		norm := u.codes[0][:5] + u.codes[0][6:]
		id, _, err := e.srv.Store().TwoFactor.FindBackupCode(ctx, e.srv.Store().DB(), u.id, e.srv.BackupIndex(u.id, norm))
		if err != nil {
			t.Fatal(err)
		}
		var mu sync.Mutex
		wins := 0
		var wg sync.WaitGroup
		for i := 0; i < racers; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				ok, err := e.srv.Store().TwoFactor.SpendBackupCode(ctx, e.srv.Store().DB(), id, e.clk.Now())
				if err != nil {
					t.Error(err)
					return
				}
				if ok {
					mu.Lock()
					wins++
					mu.Unlock()
				}
			}()
		}
		wg.Wait()
		if wins != 1 {
			t.Fatalf("%d goroutines spent the code, want 1", wins)
		}
	})
}
