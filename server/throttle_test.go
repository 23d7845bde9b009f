package server_test

import (
	"fmt"
	"net/netip"
	"sync"
	"testing"
	"time"

	"github.com/twofa/twofa/server"
	"github.com/twofa/twofa/server/auth"
	"github.com/twofa/twofa/server/servertest"
)

// behindProxy makes a server believe X-Forwarded-For from loopback, where
// the test's requests come from, so each request can name its client.
func behindProxy(o *server.Options) {
	o.TrustedProxies = []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8"), netip.MustParsePrefix("::1/128")}
}

// loginFrom signs in with the password form as the client at addr.
func (e *env) loginFrom(addr, user, pass string) resp {
	e.t.Helper()
	return e.doFrom(addr, "POST", "/api/auth/token", "", form(user, pass))
}

// burst runs clients goroutines at once, each sending each requests one
// after the other (built by mk from the client and request numbers, on
// the envs in turn), and counts the answers by status and code.
func burst(t *testing.T, envs []*env, clients, each int, mk func(client, n int, e *env) resp) map[string]int {
	t.Helper()
	var mu sync.Mutex
	counts := map[string]int{}
	var wg sync.WaitGroup
	start := make(chan struct{})
	for c := 0; c < clients; c++ {
		wg.Add(1)
		go func(c int) {
			defer wg.Done()
			<-start
			for n := 0; n < each; n++ {
				r := mk(c, n, envs[(c+n)%len(envs)])
				key := itoa(int64(r.status)) + " " + r.str("code")
				mu.Lock()
				counts[key]++
				mu.Unlock()
			}
		}(c)
	}
	close(start)
	wg.Wait()
	return counts
}

// auditRows counts the audit rows of user.
func auditRows(t *testing.T, e *env, user string) int {
	t.Helper()
	ev, err := e.srv.Store().Audit.List(t.Context(), e.srv.Store().DB(), user, 100000)
	if err != nil {
		t.Fatal(err)
	}
	return len(ev)
}

// burstOneAddress: 64 clients at one address make 640 guesses at one
// account at once → exactly AccountFree are evaluated, the rest answer
// 429 with Retry-After, one audit row records the hold; the real user,
// from an address with no failures, signs in at once; the flooding
// address is then held even for other names and for the right password.
func burstOneAddress(t *testing.T, envs []*env) {
	e, p := envs[0], server.DefaultThrottle
	e.user("victim", "the real password", "user")
	counts := burst(t, envs, 64, 10, func(c, n int, e *env) resp {
		r := e.loginFrom("203.0.113.66", "victim", fmt.Sprintf("guess %d-%d", c, n))
		if r.status == 429 && (r.header.Get("Retry-After") == "" || r.str("detail") == "") {
			t.Errorf("429 without Retry-After or detail: %v %s", r.header, r.raw)
		}
		return r
	})
	if counts["401 invalid_credentials"] != p.AccountFree || counts["429 throttled"] != 640-p.AccountFree {
		t.Fatalf("answers %v: want exactly %d guesses evaluated and %d throttled", counts, p.AccountFree, 640-p.AccountFree)
	}
	if n := countEvents(t, e, "victim", server.EventSignInFailed); n != p.AccountFree {
		t.Fatalf("%d signin_failed rows, want %d", n, p.AccountFree)
	}
	if n := countEvents(t, e, "victim", server.EventSignInThrottled); n != 1 {
		t.Fatalf("%d signin_throttled rows for 635 refused attempts, want 1", n)
	}
	e.loginFrom("198.51.100.7", "victim", "the real password").want(t, 200, "")

	// The flooding address has AccountFree failures of its own: as many
	// more on any names are evaluated, then it waits, right password or not.
	for i := p.AccountFree; i < p.AddressFree; i++ {
		e.loginFrom("203.0.113.66", fmt.Sprintf("nobody-%d", i), "guess").want(t, 401, "invalid_credentials")
	}
	r := e.loginFrom("203.0.113.66", "nobody-else", "guess").want(t, 429, "throttled")
	if r.header.Get("Retry-After") != "1" || r.str("detail") != "Too many failed sign-in attempts. Try again in 1 second." {
		t.Fatalf("address hold: Retry-After %q, %s", r.header.Get("Retry-After"), r.raw)
	}
	envs[len(envs)-1].loginFrom("203.0.113.66", "victim", "the real password").want(t, 429, "throttled")
}

// burstManyAddresses: 200 clients, each at an address of its own, make
// three guesses each at one account at once → exactly AccountCeiling
// (100) are evaluated: first attempts from clean addresses pass the
// account's wait until the ceiling, then every unknown address waits.
// A second wave evaluates nothing and adds at most one audit row. The
// real user's known address signs in at once; a new address waits
// CeilingWait.
func burstManyAddresses(t *testing.T, envs []*env) {
	e, p := envs[0], server.DefaultThrottle
	e.user("target", "target password", "user")
	e.loginFrom("192.0.2.1", "target", "target password").want(t, 200, "") // home, before the attack
	guess := func(c, n int, e *env) resp {
		return e.loginFrom(fmt.Sprintf("10.0.%d.%d", c/250, c%250+1), "target", fmt.Sprintf("guess %d-%d", c, n))
	}
	counts := burst(t, envs, 200, 3, guess)
	if counts["401 invalid_credentials"] != p.AccountCeiling || counts["429 throttled"] != 600-p.AccountCeiling {
		t.Fatalf("answers %v: want exactly %d evaluated and %d throttled", counts, p.AccountCeiling, 600-p.AccountCeiling)
	}
	throttled := countEvents(t, e, "target", server.EventSignInThrottled)
	if n := countEvents(t, e, "target", server.EventSignInFailed); n != p.AccountCeiling || throttled < 1 || throttled > p.AccountCeiling {
		t.Fatalf("%d signin_failed and %d signin_throttled rows: want %d, and between 1 and %d", n, throttled, p.AccountCeiling, p.AccountCeiling)
	}
	rows := auditRows(t, e, "target")
	counts = burst(t, envs, 200, 3, guess)
	if counts["429 throttled"] != 600 {
		t.Fatalf("second wave answers %v: want all 600 throttled", counts)
	}
	if grown := auditRows(t, e, "target") - rows; grown > 1 {
		t.Fatalf("a second wave of 600 refused guesses added %d audit rows, want at most 1", grown)
	}
	r := e.loginFrom("198.51.100.9", "target", "target password").want(t, 429, "throttled")
	if r.header.Get("Retry-After") != itoa(int64(p.CeilingWait/time.Second)) {
		t.Fatalf("new address at the ceiling: Retry-After %q, want %v", r.header.Get("Retry-After"), p.CeilingWait)
	}
	envs[len(envs)-1].loginFrom("192.0.2.1", "target", "target password").want(t, 200, "")
}

// TestSignInThrottle runs both bursts on each backend.
func TestSignInThrottle(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		t.Run("one address", func(t *testing.T) {
			burstOneAddress(t, []*env{startEnv(t, servertest.Options{Backend: b}, behindProxy)})
		})
		t.Run("many addresses", func(t *testing.T) {
			burstManyAddresses(t, []*env{startEnv(t, servertest.Options{Backend: b}, behindProxy)})
		})
	})
}

// TestSignInThrottleTwoServers: the bursts split between two servers on
// one Postgres give the same counts.
func TestSignInThrottleTwoServers(t *testing.T) {
	for name, run := range map[string]func(*testing.T, []*env){"one address": burstOneAddress, "many addresses": burstManyAddresses} {
		t.Run(name, func(t *testing.T) {
			run(t, twoServers(t, behindProxy))
		})
	}
}

// TestSignInThrottleDelaysNeverLocks: at the ceiling a new address waits
// CeilingWait and then signs in; the account's wait is capped at
// AccountMaxWait below it; every record is forgotten after Forget.
func TestSignInThrottleDelaysNeverLocks(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		e, p := startEnv(t, servertest.Options{Backend: b}, behindProxy), server.DefaultThrottle
		e.user("wanda", "wanda password", "user")
		attacker := "203.0.113.5"
		for i := 0; i < 40; i++ { // one address, sequentially, each guess as soon as allowed
			r := e.loginFrom(attacker, "wanda", "guess")
			if r.status == 429 {
				secs := r.header.Get("Retry-After")
				d, _ := time.ParseDuration(secs + "s")
				if d <= 0 || d > max(p.AccountMaxWait, p.AddressMaxWait) {
					t.Fatalf("Retry-After %q out of bounds", secs)
				}
				e.clk.Advance(d)
				i--
				continue
			}
			r.want(t, 401, "invalid_credentials")
		}
		// The attacker's address is held by its own record, the right
		// password too; the account holds a clean address not at all.
		e.loginFrom(attacker, "wanda", "wanda password").want(t, 429, "throttled")
		e.loginFrom("198.51.100.1", "wanda", "wanda password").want(t, 200, "")

		// Drive the account to the ceiling from 100 fresh addresses.
		for i := 0; i < p.AccountCeiling; i++ {
			e.loginFrom(fmt.Sprintf("10.1.0.%d", i+1), "wanda", "guess").want(t, 401, "invalid_credentials")
		}
		e.loginFrom("10.2.0.1", "wanda", "wanda password").want(t, 429, "throttled")
		e.clk.Advance(p.CeilingWait)
		e.loginFrom("10.2.0.1", "wanda", "wanda password").want(t, 200, "")

		// A day without failures and the attacker's record is forgotten.
		e.clk.Advance(p.Forget)
		for i := 0; i < p.AccountFree; i++ {
			e.loginFrom(attacker, "wanda", "guess").want(t, 401, "invalid_credentials")
		}
	})
}

// TestSignInThrottleDetails: X-Forwarded-For is not believed without a
// trusted proxy, so a client cannot dodge its address's record by naming
// others; a name no account has is throttled exactly like a real one (no
// way to tell them apart); the password asked again at 2FA setup is
// throttled too.
func TestSignInThrottleDetails(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		p := server.DefaultThrottle
		e := newEnv(t, b)
		for i := 0; i < p.AddressFree; i++ {
			e.loginFrom(fmt.Sprintf("198.51.100.%d", i+1), fmt.Sprintf("ghost-%d", i), "guess").want(t, 401, "invalid_credentials")
		}
		e.loginFrom("198.51.100.99", "ghost-x", "guess").want(t, 429, "throttled")

		e = startEnv(t, servertest.Options{Backend: b}, behindProxy)
		e.user("real", "real password", "user")
		statuses := func(addr, name string) (out []int) {
			for i := 0; i <= p.AccountFree+1; i++ {
				out = append(out, e.loginFrom(addr, name, "guess").status)
			}
			return out
		}
		if real, ghost := statuses("203.0.113.1", "real"), statuses("203.0.113.2", "no-such-user"); fmt.Sprint(real) != fmt.Sprint(ghost) {
			t.Fatalf("an existing name answers %v, an unknown one %v", real, ghost)
		}

		// A stolen session at another address cannot guess the password at setup.
		tok := e.loginFrom("192.0.2.7", "real", "real password").want(t, 200, "").str("access_token")
		thief := "203.0.113.200"
		for i := 0; i < p.AccountFree; i++ {
			e.doFrom(thief, "POST", "/api/auth/2fa/setup", tok, map[string]string{"password": "guess"}).want(t, 401, "invalid_password")
		}
		e.doFrom(thief, "POST", "/api/auth/2fa/setup", tok, map[string]string{"password": "guess"}).want(t, 429, "throttled")
		e.doFrom(thief, "POST", "/api/auth/2fa/setup", tok, map[string]string{"password": "real password"}).want(t, 429, "throttled")
		e.doFrom("192.0.2.7", "POST", "/api/auth/2fa/setup", tok, map[string]string{"password": "real password"}).want(t, 200, "")
	})
}

// TestUnlockForgetsFailedSignIns: `twofa admin unlock` and `set-password`
// clear the account's record, so an address it held signs in at once.
func TestUnlockForgetsFailedSignIns(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		e, p := startEnv(t, servertest.Options{Backend: b}, behindProxy), server.DefaultThrottle
		e.user("uli", "uli password", "user")
		a, err := server.OpenAdmin(t.Context(), server.AdminOptions{DSN: e.db.DSN, Now: e.clk.Now, PasswordHashing: e.ref.Config.PasswordHashing, Actor: "test"})
		if err != nil {
			t.Fatal(err)
		}
		defer a.Close()
		for round, clear := range []func() error{
			func() error { return a.Unlock(t.Context(), "uli") },
			func() error { _, err := a.SetPassword(t.Context(), "uli", "uli password"); return err },
		} {
			from := fmt.Sprintf("203.0.113.%d", round+1) // not yet known to the account
			for i := 0; i < p.AccountFree; i++ {
				e.loginFrom(from, "uli", "guess").want(t, 401, "invalid_credentials")
			}
			e.loginFrom(from, "uli", "uli password").want(t, 429, "throttled")
			if err := clear(); err != nil {
				t.Fatal(err)
			}
			e.loginFrom(from, "uli", "uli password").want(t, 200, "")
		}
	})
}

// TestConcurrentRightPasswordsPass: 64 clients behind one address signing
// in at once with right passwords (an office behind one NAT, or a test
// harness), half of them to one account, all get in: attempts still being
// checked wait for a slot instead of counting as failures.
func TestConcurrentRightPasswordsPass(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		// Checks costly enough (2 MiB each, one per core at a time) that
		// many are in flight at once.
		e := startEnv(t, servertest.Options{Backend: b}, func(o *server.Options) {
			behindProxy(o)
			o.PasswordHashing = auth.Params{Memory: 2048, Time: 2, Threads: 1, SaltLen: 16, KeyLen: 32}
		})
		for i := 0; i < 32; i++ {
			e.user(fmt.Sprintf("staff-%d", i), "staff password", "user")
		}
		counts := burst(t, []*env{e}, 64, 2, func(c, n int, e *env) resp {
			name := "staff-0"
			if c%2 == 1 {
				name = fmt.Sprintf("staff-%d", c/2)
			}
			return e.loginFrom("198.51.100.200", name, "staff password")
		})
		if counts["200 "] != 128 {
			t.Fatalf("answers %v: want all 128 sign-ins in", counts)
		}
	})
}
