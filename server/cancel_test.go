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

	"github.com/twofa/twofa/server"
)

// cancelAfter is a context cancelled by its k-th Done call, so a request
// can be cut off at every point where the server or the database driver
// looks at its context.
type cancelAfter struct {
	context.Context
	cancel context.CancelFunc
	calls  atomic.Int64
	k      int64
}

func newCancelAfter(k int64) *cancelAfter {
	ctx, cancel := context.WithCancel(context.Background())
	return &cancelAfter{Context: ctx, cancel: cancel, k: k}
}

func (c *cancelAfter) Done() <-chan struct{} {
	if c.calls.Add(1) == c.k {
		c.cancel()
	}
	return c.Context.Done()
}

// TestCancelledValidateIsAllOrNothing cuts a right validation off at
// every point its context is looked at: each attempt either signs in
// whole (session, spent pending token and signin_ok row; answered 200, or
// 499 when the commit went through as the client left) or leaves no
// trace, is answered 499 and logged as the client going away, never as
// an error; a cancelled wrong code is still charged.
func TestCancelledValidateIsAllOrNothing(t *testing.T) {
	forEachEnv(t, func(t *testing.T, e *env) {
		u := e.enroll("cut")
		count := func(q string) int {
			var n int
			if err := e.srv.Store().DB().QueryRowContext(context.Background(), q, u.id).Scan(&n); err != nil {
				t.Fatal(err)
			}
			return n
		}
		sessions := func() int { return count("SELECT COUNT(*) FROM tokens WHERE user_id = $1 AND kind = 'session'") }
		pendings := func() int { return count("SELECT COUNT(*) FROM tokens WHERE user_id = $1 AND kind = 'pending'") }
		oks := func() int { return count("SELECT COUNT(*) FROM audit_log WHERE user_id = $1 AND event = 'signin_ok'") }
		validate := func(ctx context.Context, body map[string]string) int {
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
			s0, p0, ok0 := sessions(), pendings(), oks()
			status := validate(newCancelAfter(k), map[string]string{"temp_token": pt, "code": totpAt(t, u.secret, e.clk.Now())})
			s1, p1, ok1 := sessions(), pendings(), oks()
			switch {
			case (status == http.StatusOK || status == 499) && s1 == s0+1 && p1 == p0-1 && ok1 == ok0+1:
				// 499 here: the commit went through as the client left.
				whole++
			case status == 499 && s1 == s0 && p1 == p0 && ok1 == ok0:
				cut++
				e.clk.Advance(30 * time.Second)
				e.do("POST", "/api/auth/2fa/validate", "", map[string]string{"temp_token": pt, "code": totpAt(t, u.secret, e.clk.Now())}).want(t, 200, "")
			default:
				t.Fatalf("cut at Done call %d: status %d, sessions %d→%d, pending tokens %d→%d, signin_ok %d→%d: half done", k, status, s0, s1, p0, p1, ok0, ok1)
			}
			if k > 200 {
				t.Fatal("no attempt ran to its end in 200 tries")
			}
		}
		if cut == 0 {
			t.Fatal("no attempt was cut off")
		}
		// Wrong codes: each attempt's charge and its audit row go together,
		// and a code looked at is charged even when its client has gone.
		failed := func() (int, int) {
			return count("SELECT tfa_failed FROM users WHERE id = $1"), count("SELECT COUNT(*) FROM audit_log WHERE user_id = $1 AND event = '2fa_failed'")
		}
		chargedGone := 0
		for k := int64(1); ; k++ {
			c0, a0 := failed()
			if c0 == server.MaxFailures-1 {
				break
			}
			status := validate(newCancelAfter(k), map[string]string{"temp_token": e.pending(u), "code": "000000"})
			c1, a1 := failed()
			if status == 499 && c1 == c0+1 {
				chargedGone++
			}
			if c1-c0 != a1-a0 || c1-c0 > 1 || (status == http.StatusUnauthorized && c1 != c0+1) || (status != 499 && status != http.StatusUnauthorized) {
				t.Fatalf("wrong code cut at Done call %d: status %d, failure count %d→%d, 2fa_failed rows %d→%d", k, status, c0, c1, a0, a1)
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
