package server_test

import (
	"context"
	"testing"
	"time"

	"github.com/twofa/twofa/internal/harness/testdb"
	"github.com/twofa/twofa/server"
)

// tokenRows counts the rows of the tokens table.
func tokenRows(t *testing.T, e *env) int {
	t.Helper()
	var n int
	if err := e.srv.Store().DB().QueryRowContext(context.Background(), "SELECT COUNT(*) FROM tokens").Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// TestSweepDeletesExpiredTokens: with the background sweep off, a sign-in
// deletes nothing (the cleanup is off the request path); with it on, the
// tokens expired at the server's clock go and the live ones stay; Close
// stops it.
func TestSweepDeletesExpiredTokens(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		db := testdb.New(t, b)
		off := openEnv(t, db, nil, func(o *server.Options) { o.SweepInterval = -1 })
		u := off.enroll("sweep")
		for range 3 {
			off.pending(u)
		}
		before := tokenRows(t, off)
		off.clk.Advance(server.PendingTTL + time.Second)
		off.login(u.name, u.pass).want(t, 200, "")
		if n := tokenRows(t, off); n != before+1 {
			t.Fatalf("tokens after a sign-in past the pending tokens' expiry: %d, want %d (none deleted, one added)", n, before+1)
		}
		if off.srv.Sweeps() != 0 {
			t.Fatalf("%d sweeps with the sweep off", off.srv.Sweeps())
		}

		on := openEnv(t, db, off.clk, func(o *server.Options) { o.SweepInterval = 5 * time.Millisecond })
		deadline := time.Now().Add(10 * time.Second)
		// The rows go in a sweep's first half; wait for one whole sweep too,
		// or Close may cut the first one short and leave none counted.
		for tokenRows(t, on) != before+1-3 || on.srv.Sweeps() == 0 {
			if time.Now().After(deadline) {
				t.Fatalf("tokens after sweeping: %d, want %d (the 3 expired pending tokens gone); %d whole sweeps", tokenRows(t, on), before+1-3, on.srv.Sweeps())
			}
			time.Sleep(5 * time.Millisecond)
		}
		on.do("GET", "/api/auth/2fa/status", u.session, nil).want(t, 200, "")
		if err := on.srv.Close(); err != nil {
			t.Fatal(err)
		}
		n := on.srv.Sweeps()
		time.Sleep(30 * time.Millisecond)
		if m := on.srv.Sweeps(); m != n || n == 0 {
			t.Fatalf("sweeps %d before Close, %d after: want some, and none after", n, m)
		}
	})
}
