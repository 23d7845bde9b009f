package server_test

import (
	"testing"
	"time"

	"github.com/twofa/twofa/server"
)

// TestLockedFloodAuditedOnce: attempts at a locked account are refused
// without a look at their code and only the first refusal of each lock is
// audited, on every route, in sequence and in a concurrent burst; a lock
// set after the first one ended is audited once again.
func TestLockedFloodAuditedOnce(t *testing.T) {
	forEachEnv(t, func(t *testing.T, e *env) {
		u := e.enroll("flood")
		wrong := func() resp {
			return e.do("POST", "/api/auth/2fa/validate", "", map[string]string{"temp_token": e.pending(u), "code": "000000"})
		}
		for range server.MaxFailures {
			wrong().want(t, 401, "invalid_code")
		}
		routes := []func() resp{
			wrong,
			func() resp {
				return e.do("POST", "/api/auth/2fa/validate", "", map[string]string{"temp_token": e.pending(u), "code": totpAt(t, u.secret, e.clk.Now())})
			},
			func() resp {
				return e.do("DELETE", "/api/auth/2fa/disable", u.session, map[string]string{"backup_code": u.codes[0]})
			},
			func() resp {
				return e.do("POST", "/api/auth/2fa/backup-codes/regenerate", u.session, map[string]string{"code": "000000"})
			},
		}
		for i := range 20 {
			routes[i%len(routes)]().want(t, 429, "locked_out")
		}
		pts := pendings(e, u, 50)
		counts := statusCounts(t, []*env{e}, len(pts), func(i int, e *env) resp {
			return e.do("POST", "/api/auth/2fa/validate", "", map[string]string{"temp_token": pts[i], "code": "000000"})
		})
		if counts["429 locked_out"] != len(pts) {
			t.Fatalf("burst at a locked account: %v, want every attempt locked_out", counts)
		}
		if n := countEvents(t, e, u.name, server.EventLockedRefused); n != 1 {
			t.Fatalf("%d refusals audited for one lock, want 1", n)
		}
		if n := countEvents(t, e, u.name, server.EventTwoFactorFailed); n != server.MaxFailures {
			t.Fatalf("%d failures audited, want %d (refusals are not failures)", n, server.MaxFailures)
		}

		e.clk.Advance(server.LockDuration)
		for range server.MaxFailures {
			wrong().want(t, 401, "invalid_code")
		}
		for range 5 {
			wrong().want(t, 429, "locked_out")
		}
		if n := countEvents(t, e, u.name, server.EventLockedRefused); n != 2 {
			t.Fatalf("%d refusals audited for two locks, want 2", n)
		}
		e.clk.Advance(server.LockDuration + time.Second)
		e.do("POST", "/api/auth/2fa/validate", "", map[string]string{"temp_token": e.pending(u), "code": totpAt(t, u.secret, e.clk.Now())}).want(t, 200, "")
	})
}
