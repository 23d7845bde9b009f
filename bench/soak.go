package main

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"time"

	"github.com/twofa/twofa/server/auth"
)

// statusReads is how many status reads follow each completed sign-in.
const statusReads = 4

// benchSoak runs the mixed soak on a fresh Postgres database with two
// `twofa serve` processes; without Postgres its figures are not measured.
func benchSoak(ctx context.Context, cfg config, bins binaries, tmp string) []Figure {
	if cfg.PostgresDSN == "" {
		return soakGroup.done("", nil, errors.New("TWOFA_TEST_POSTGRES_DSN not set"))
	}
	dsn, drop, err := freshPostgres(ctx, cfg.PostgresDSN)
	if err != nil {
		return soakGroup.done("", nil, err)
	}
	defer drop()
	figs, err := soak(ctx, cfg, bins.Twofa, tmp, dsn)
	if err != nil {
		figs = nil
	}
	return soakGroup.done("", figs, err)
}

// soak provisions the accounts, starts both servers and runs cfg.Clients
// people for cfg.SoakFor against both.
func soak(ctx context.Context, cfg config, bin, tmp, dsn string) ([]Figure, error) {
	jwt := randomText(48)
	per := cfg.SoakAccounts
	logf("soak: creating %d accounts", cfg.Clients*per)
	accts, err := provision(ctx, dsn, jwt, batch{"s", cfg.Clients * per, true, auth.LightParams}, 2*runtime.NumCPU())
	if err != nil {
		return nil, err
	}
	if _, err := realPasswords(ctx, dsn, accts); err != nil {
		return nil, err
	}
	var srv [2]*proc
	var via [2][]*user
	for i := range srv {
		if srv[i], err = startServer(bin, dsn, jwt, tmp); err != nil {
			return nil, err
		}
		defer srv[i].Stop()
	}
	if via[0], err = newUsers(srv[0].URL(), cfg.Clients); err != nil {
		return nil, err
	}
	if via[1], err = onServer(srv[1].URL(), via[0]); err != nil {
		return nil, err
	}
	for _, s := range srv {
		if err := resetPeakRSS(s.Pid()); err != nil {
			return nil, err
		}
	}
	logf("soak: %d clients for %s on two servers", cfg.Clients, cfg.SoakFor)
	t := newTally()
	deadline := time.Now().Add(cfg.SoakFor)
	elapsed := together(cfg.Clients, func(c int) {
		soakPerson(ctx, t, [2]*user{via[0][c], via[1][c]}, accts[c*per:(c+1)*per], deadline)
	})
	var rss [2]float64
	for i, s := range srv {
		if rss[i], err = peakRSSMB(s.Pid()); err != nil {
			return nil, err
		}
	}
	return soakFigs(cfg, t, elapsed, rss), nil
}

// soakFigs turns the soak's tally into its figures.
func soakFigs(cfg config, t *tally, elapsed time.Duration, rss [2]float64) []Figure {
	all := t.ok()
	kinds := ""
	for _, k := range []string{"sign-in", "validate", "status"} {
		l := t.ok(k)
		kinds += fmt.Sprintf("; %d %s p50 %.1f p99 %.1f ms", len(l), k, percentile(l, 50), percentile(l, 99))
	}
	errNote := "no request failed"
	if t.failed > 0 {
		errNote = fmt.Sprintf("first: %v", t.first)
	}
	return []Figure{
		fig("soak_per_s", "", rate(len(all), elapsed), "successful requests per second: %d clients for %s (%s until the last request in flight ended), each signing in, validating a TOTP code and reading the 2FA status %d times, requests alternating between two twofa serve processes on one Postgres database, each sign-in on the other one than the last%s", cfg.Clients, cfg.SoakFor, elapsed.Round(100*time.Millisecond), statusReads, kinds),
		fig("soak_p50_ms", "", percentile(all, 50), "median latency over every successful soak request"),
		fig("soak_p99_ms", "", percentile(all, 99), "99th percentile latency over every successful soak request"),
		fig("soak_errors", "", float64(t.failed), "requests of the soak that failed (transport errors, refused codes, any error answer); "+errNote),
		fig("soak_signin_per_s", "", rate(len(t.ok("sign-in")), elapsed), "successful sign-ins per second over the soak, both servers together: each a password verified with the real argon2id costs"),
		fig("soak_signin_p99_ms", "", percentile(t.ok("sign-in"), 99), "99th percentile latency of the soak's successful sign-ins"),
		fig("soak_peak_rss_mb", "", max(rss[0], rss[1]), "the larger VmHWM of the two servers over the soak (%.0f and %.0f MiB)", rss[0], rss[1]),
	}
}

// soakPerson is one person's loop until deadline: sign in, complete the
// sign-in with a TOTP code, read the 2FA status statusReads times, again.
// Requests alternate between the two servers, and each sign-in goes to the
// other server than the one before, so both get every kind of request and a
// validation always reaches the server that did not take its sign-in.
// Codes are those of step T or T+1, which stay acceptable for at least one
// whole step while in flight; when every own account has used both, the
// person reads the status until the clock moves on.
func soakPerson(ctx context.Context, t *tally, via [2]*user, own []*account, deadline time.Time) {
	last := make([]int64, len(own))
	n, journeys := 0, 0
	next := func() *user { n++; return via[n%2] }
	status := func() {
		t0 := time.Now()
		_, err := next().TwoFAStatus(ctx)
		t.observe("status", t0, err)
	}
	for j := 0; time.Now().Before(deadline); j++ {
		i, step, ok := freeStep(own, last, j)
		if !ok {
			if via[0].tokens.Token() == "" {
				time.Sleep(100 * time.Millisecond)
				continue
			}
			status()
			continue
		}
		a := own[i]
		n, journeys = journeys, journeys+1 // each sign-in on the other server than the last
		t0 := time.Now()
		res, err := next().Login(ctx, a.Name, a.Password)
		if err == nil && !res.Requires2FA {
			err = fmt.Errorf("account %s signed in without its second factor", a.Name)
		}
		if t.observe("sign-in", t0, err); err != nil {
			continue
		}
		t0 = time.Now()
		tok, err := next().ValidateTOTP(ctx, res.AccessToken, a.codeAt(step))
		if t.observe("validate", t0, err); err != nil {
			continue
		}
		last[i] = step
		via[0].tokens.Set(tok.AccessToken)
		for range statusReads {
			status()
		}
	}
}

// freeStep picks, starting at account from, one that may validate now and
// the step it should use: T if unused, else T+1.
func freeStep(own []*account, last []int64, from int) (int, int64, bool) {
	now := auth.Step(time.Now())
	for k := range own {
		i := (from + k) % len(own)
		if s := max(last[i]+1, now); s <= now+1 {
			return i, s, true
		}
	}
	return 0, 0, false
}
