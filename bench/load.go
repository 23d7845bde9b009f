package main

import (
	"context"
	"fmt"
	"net/http"
	"sync"
	"sync/atomic"
	"time"
)

// issuePending signs every account in n times (password only, they have 2FA
// on) and returns the pending tokens per account, using conc clients.
func issuePending(ctx context.Context, a *api, accts []*account, n, conc int) ([][]string, error) {
	tokens := make([][]string, len(accts))
	for i := range tokens {
		tokens[i] = make([]string, n)
	}
	var next atomic.Int64
	total := int64(len(accts) * n)
	err := parallel(conc, func(int) error {
		for {
			j := next.Add(1) - 1
			if j >= total {
				return nil
			}
			i, k := int(j)/n, int(j)%n
			tok, pending, err := a.login(ctx, accts[i].Name, accts[i].Password)
			if err != nil {
				return err
			}
			if !pending {
				return fmt.Errorf("account %s has no second factor", accts[i].Name)
			}
			tokens[i][k] = tok
		}
	})
	return tokens, err
}

// loginResult is the outcome of the sign-in burst.
type loginResult struct {
	PerSec   float64 // successful sign-ins per second
	P50, Max float64 // ms, over successful sign-ins
	Failed   int
	FirstErr error
}

// errNote describes the first failure for a figure's note.
func (r loginResult) errNote() string {
	if r.FirstErr == nil {
		return ""
	}
	return "; first failure: " + r.FirstErr.Error()
}

// loginBurst runs total password sign-ins over accts with conc clients. A
// failed sign-in (a dropped connection, a timeout) is counted, not fatal:
// how a server behaves under a sign-in burst is the point.
func loginBurst(ctx context.Context, a *api, accts []*account, total, conc int) (loginResult, error) {
	var next atomic.Int64
	var mu sync.Mutex
	var res loginResult
	var lat []time.Duration
	start := time.Now()
	_ = parallel(conc, func(int) error {
		for {
			j := next.Add(1) - 1
			if j >= int64(total) {
				return nil
			}
			acct := accts[int(j)%len(accts)]
			t0 := time.Now()
			_, _, err := a.login(ctx, acct.Name, acct.Password)
			d := time.Since(t0)
			mu.Lock()
			if err != nil {
				res.Failed++
				if res.FirstErr == nil {
					res.FirstErr = fmt.Errorf("after %s: %w", d.Round(time.Millisecond), err)
				}
			} else {
				lat = append(lat, d)
			}
			mu.Unlock()
		}
	})
	elapsed := time.Since(start)
	m := ms(lat)
	res.PerSec = float64(len(lat)) / elapsed.Seconds()
	res.P50, res.Max = percentile(m, 50), percentile(m, 100)
	if len(lat) == 0 {
		return res, fmt.Errorf("every sign-in failed; first: %w", res.FirstErr)
	}
	return res, nil
}

// healthBurst sends total GET /api/health requests from conc clients and
// returns the rate: the HTTP floor under the same client load.
func healthBurst(ctx context.Context, a *api, total, conc int) (float64, error) {
	var next atomic.Int64
	start := time.Now()
	err := parallel(conc, func(int) error {
		for next.Add(1) <= int64(total) {
			r, err := a.do(ctx, http.MethodGet, "/health", "", nil, "")
			if err != nil {
				return err
			}
			if r.Status != http.StatusOK {
				return fmt.Errorf("health: status %d", r.Status)
			}
		}
		return nil
	})
	return float64(total) / time.Since(start).Seconds(), err
}

// validateResult is the outcome of the validate burst.
type validateResult struct {
	PerSec    float64
	P50, P99  float64 // ms
	Completed int
}

// validateBurst completes every pending sign-in with a TOTP code, conc
// clients at once. Client c owns accounts c, c+conc, …; it works through
// each account's tokens in order, choosing for each the earliest step the
// server will still take: later than the account's last accepted step and
// within T-1..T+1 of the real clock at the moment of sending.
func validateBurst(ctx context.Context, a *api, accts []*account, tokens [][]string, conc int) (validateResult, error) {
	lat := make([][]time.Duration, conc)
	start := time.Now()
	err := parallel(conc, func(c int) error {
		for i := c; i < len(accts); i += conc {
			var last uint64
			for _, tok := range tokens[i] {
				step := stepAt(time.Now()) - 1
				if step <= last {
					step = last + 1
				}
				t0 := time.Now()
				r, err := a.validateTOTP(ctx, tok, accts[i].codeAt(step))
				d := time.Since(t0)
				if err != nil {
					return err
				}
				if r.Status != http.StatusOK {
					return fmt.Errorf("validate %s at step %d: status %d code %q", accts[i].Name, step, r.Status, r.Code)
				}
				last = step
				lat[c] = append(lat[c], d)
			}
		}
		return nil
	})
	elapsed := time.Since(start)
	var all []time.Duration
	for _, l := range lat {
		all = append(all, l...)
	}
	m := ms(all)
	return validateResult{
		PerSec:    float64(len(all)) / elapsed.Seconds(),
		P50:       percentile(m, 50),
		P99:       percentile(m, 99),
		Completed: len(all),
	}, err
}

// lockoutBurst sends burst wrong TOTP codes at once, all on one pending
// sign-in of acct, and counts how many the server evaluated (answered
// invalid_code) and how many it refused as locked (429 locked_out).
func lockoutBurst(ctx context.Context, a *api, acct *account, pending string, burst int) (evaluated, locked int, err error) {
	wrong := wrongTOTP(acct)
	var ev, lk, other atomic.Int64
	gate := make(chan struct{})
	var wg sync.WaitGroup
	errc := make(chan error, burst)
	for i := 0; i < burst; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-gate
			r, err := a.validateTOTP(ctx, pending, wrong)
			switch {
			case err != nil:
				errc <- err
			case r.Status == http.StatusUnauthorized && r.Code == "invalid_code":
				ev.Add(1)
			case r.Status == http.StatusTooManyRequests && r.Code == "locked_out":
				lk.Add(1)
			default:
				other.Add(1)
				errc <- fmt.Errorf("unexpected answer to a wrong code: status %d code %q", r.Status, r.Code)
			}
		}()
	}
	close(gate)
	wg.Wait()
	close(errc)
	return int(ev.Load()), int(lk.Load()), <-errc
}

// wrongTOTP returns a 6-digit code that matches none of the steps the server
// could accept in the next minutes.
func wrongTOTP(acct *account) string {
	now := stepAt(time.Now())
	bad := map[string]bool{}
	for s := now - 2; s <= now+20; s++ {
		bad[acct.codeAt(s)] = true
	}
	for i := 0; ; i++ {
		c := fmt.Sprintf("%06d", (i*7919)%1_000_000)
		if !bad[c] {
			return c
		}
	}
}

// parallel runs fn(0..n-1) concurrently and returns the first error.
func parallel(n int, fn func(i int) error) error {
	var wg sync.WaitGroup
	errc := make(chan error, n)
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := fn(i); err != nil {
				errc <- err
			}
		}()
	}
	wg.Wait()
	close(errc)
	return <-errc
}
