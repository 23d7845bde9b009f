package server_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/twofa/twofa/internal/harness/testdb"
	"github.com/twofa/twofa/server"
	"github.com/twofa/twofa/server/store"
)

// cancelAfter is a context cancelled by its k-th Done call, so a request
// can be cut off at every point where the server or the database driver
// looks at its context.
type cancelAfter struct {
	context.Context
	cancel context.CancelFunc
	calls  atomic.Int64
	k      int64
	atNow  bool // counted at the server's clock readings instead (see the test)
}

func newCancelAfter(k int64) *cancelAfter {
	ctx, cancel := context.WithCancel(context.Background())
	return &cancelAfter{Context: ctx, cancel: cancel, k: k}
}

func (c *cancelAfter) Done() <-chan struct{} {
	if !c.atNow && c.calls.Add(1) == c.k {
		c.cancel()
	}
	return c.Context.Done()
}

// TestCancelledValidateIsAllOrNothing cuts a right validation off at
// every point its context is looked at: each attempt either signs in
// whole (session, spent pending token and signin_ok row; answered 200, or
// 499 when the commit went through as the client left) or leaves no
// trace, is answered 499 and logged as the client going away, never as
// an error; a wrong code whose client went away at a clock reading before
// the charge (the reading its check uses) is still charged. What an attempt
// left is read in one snapshot once the database has settled it: on
// Postgres a cut connection's transaction can still commit after the
// handler has answered.
func TestCancelledValidateIsAllOrNothing(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		// A request can also be cut at its k-th reading of the server's
		// clock: those points lie on the request's own path, between the
		// database's answers, where a Done call may not.
		var atNow atomic.Pointer[cancelAfter]
		e := openEnv(t, testdb.New(t, b), nil, func(o *server.Options) {
			now := o.Now
			o.Now = func() time.Time {
				if c := atNow.Load(); c != nil && c.calls.Add(1) == c.k {
					c.cancel()
				}
				return now()
			}
		})
		u := e.enroll("cut")
		db := e.srv.Store().DB()
		// traces is what sign-ins and wrong codes left for the account, in
		// one snapshot, after waiting (Postgres) for any transaction still
		// holding the account's row to end.
		type traces struct{ sessions, pendings, oks, failed, failRows int }
		read := func() traces {
			t.Helper()
			ctx := context.Background()
			if b == testdb.Postgres {
				err := e.srv.Store().Tx(ctx, func(h store.Handle) error {
					_, err := h.ExecContext(ctx, "SELECT 1 FROM users WHERE id = $1 FOR UPDATE", u.id)
					return err
				})
				if err != nil {
					t.Fatal(err)
				}
			}
			var n traces
			err := db.QueryRowContext(ctx, `SELECT
				(SELECT COUNT(*) FROM tokens WHERE user_id = $1 AND kind = 'session'),
				(SELECT COUNT(*) FROM tokens WHERE user_id = $1 AND kind = 'pending'),
				(SELECT COUNT(*) FROM audit_log WHERE user_id = $1 AND event = 'signin_ok'),
				(SELECT tfa_failed FROM users WHERE id = $1),
				(SELECT COUNT(*) FROM audit_log WHERE user_id = $1 AND event = '2fa_failed')`, u.id).
				Scan(&n.sessions, &n.pendings, &n.oks, &n.failed, &n.failRows)
			if err != nil {
				t.Fatal(err)
			}
			return n
		}
		validate := func(ctx *cancelAfter, body map[string]string) int {
			if ctx.atNow {
				atNow.Store(ctx)
				defer atNow.Store(nil)
			}
			j, _ := json.Marshal(body)
			req := httptest.NewRequest("POST", "/api/auth/2fa/validate", bytes.NewReader(j)).WithContext(ctx)
			req.Header.Set("Content-Type", "application/json")
			rec := httptest.NewRecorder()
			e.srv.Handler().ServeHTTP(rec, req)
			return rec.Code
		}
		cut, whole := 0, 0
		for k := int64(1); whole < 3; k++ {
			e.clk.Advance(30 * time.Second)
			pt := e.pending(u)
			n0 := read()
			status := validate(newCancelAfter(k), map[string]string{"temp_token": pt, "code": totpAt(t, u.secret, e.clk.Now())})
			n1 := read()
			signedIn := n1.sessions == n0.sessions+1 && n1.pendings == n0.pendings-1 && n1.oks == n0.oks+1
			untouched := n1.sessions == n0.sessions && n1.pendings == n0.pendings && n1.oks == n0.oks
			switch {
			case (status == http.StatusOK || status == 499) && signedIn:
				// 499 here: the commit went through as the client left.
				whole++
			case status == 499 && untouched:
				cut++
				e.clk.Advance(30 * time.Second)
				e.do("POST", "/api/auth/2fa/validate", "", map[string]string{"temp_token": pt, "code": totpAt(t, u.secret, e.clk.Now())}).want(t, 200, "")
			default:
				t.Fatalf("cut at Done call %d: status %d, sessions %d→%d, pending tokens %d→%d, signin_ok %d→%d: half done",
					k, status, n0.sessions, n1.sessions, n0.pendings, n1.pendings, n0.oks, n1.oks)
			}
			if k > 200 {
				t.Fatal("no attempt ran to its end in 200 tries")
			}
		}
		if cut == 0 {
			t.Fatal("no attempt was cut off")
		}
		// Wrong codes, cut at every look at the context and then at every
		// clock reading until one runs uncut: each attempt's charge and its
		// audit row go together, and a code looked at is charged even when
		// its client has gone. The count is set back before it would lock,
		// so every cut point is tried.
		chargedGone := 0
		for k, byClock := int64(1), false; ; k++ {
			if k > 200 {
				t.Fatal("no wrong code ran to its end in 200 tries")
			}
			n0 := read()
			if n0.failed == server.MaxFailures-1 {
				if _, err := db.ExecContext(context.Background(), "UPDATE users SET tfa_failed = 0 WHERE id = $1", u.id); err != nil {
					t.Fatal(err)
				}
				n0 = read()
			}
			ctx := newCancelAfter(k)
			ctx.atNow = byClock
			status := validate(ctx, map[string]string{"temp_token": e.pending(u), "code": "000000"})
			n1 := read()
			charged := n1.failed - n0.failed
			if byClock && status == 499 && charged == 1 {
				chargedGone++
			}
			if charged != n1.failRows-n0.failRows || charged > 1 || (status == http.StatusUnauthorized && charged != 1) || (status != 499 && status != http.StatusUnauthorized) {
				t.Fatalf("wrong code cut at Done call %d: status %d, failure count %d→%d, 2fa_failed rows %d→%d", k, status, n0.failed, n1.failed, n0.failRows, n1.failRows)
			}
			if ctx.calls.Load() < k { // this one ran uncut, and so would every later k
				if byClock {
					break
				}
				k, byClock = 0, true
			}
		}
		if chargedGone == 0 {
			t.Fatal("no wrong code was charged after its client went away")
		}
		if strings.Contains(e.ref.Log(), "level=ERROR") {
			t.Fatalf("a cancelled request was logged as an error:\n%s", e.ref.Log())
		}
		if !strings.Contains(e.ref.Log(), "client went away") {
			t.Fatalf("no 'client went away' line in the log:\n%s", e.ref.Log())
		}
	})
}
