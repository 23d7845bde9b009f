package main

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/twofa/twofa/client"
	"github.com/twofa/twofa/internal/wire"
	"github.com/twofa/twofa/server/auth"
)

// maxAttempts bounds how often one pending sign-in is sent a code again
// after a refusal (the step window moved while the code was in flight).
const maxAttempts = 3

// issuePending signs every account in n times with its password (they have
// 2FA on) and returns the pending tokens per account.
func issuePending(ctx context.Context, users []*user, accts []*account, n int) ([][]string, error) {
	tokens := make([][]string, len(accts))
	for i := range tokens {
		tokens[i] = make([]string, n)
	}
	t := newTally()
	t.drive("sign-in", users, len(accts)*n, func(u *user, _, j int) error {
		a := accts[j/n]
		res, err := u.Login(ctx, a.Name, a.Password)
		if err == nil && !res.Requires2FA {
			return fmt.Errorf("account %s has no second factor", a.Name)
		}
		if err == nil {
			tokens[j/n][j%n] = res.AccessToken
		}
		return err
	})
	return tokens, t.err("issue pending sign-ins")
}

// loginBurst runs total password sign-ins over accts from users into t. A
// failed sign-in is counted, not fatal: how a server holds a burst is the point.
func loginBurst(ctx context.Context, t *tally, users []*user, accts []*account, total int) time.Duration {
	return t.drive("sign-in", users, total, func(u *user, _, j int) error {
		a := accts[j%len(accts)]
		_, err := u.Login(ctx, a.Name, a.Password)
		return err
	})
}

// healthBurst sends total GET /api/health from users and returns the rate.
func healthBurst(ctx context.Context, users []*user, total int) (float64, error) {
	t := newTally()
	elapsed := t.drive("health", users, total, func(u *user, _, _ int) error {
		_, err := u.Health(ctx)
		return err
	})
	return rate(total, elapsed), t.err("health burst")
}

// floorBase starts the steps the HTTP floor accepts: far above any real
// step, so it never meets one, and rising through the whole run.
var floorBase = auth.Step(time.Now()) + 1_000_000

// floorSteps counts the steps the HTTP floor has handed out.
var floorSteps atomic.Int64

// nextFloorStep returns a step above every step handed out before.
func nextFloorStep() int64 { return floorBase + floorSteps.Add(1) }

// lockoutBurst sends burst wrong TOTP codes at once, all on one pending
// sign-in of a, each from its own client, and counts how many the server
// evaluated (invalid_code) and how many it refused as locked (locked_out).
func lockoutBurst(ctx context.Context, server string, a *account, pending string, burst int) (evaluated, locked int, err error) {
	users, err := newUsers(server, burst)
	if err != nil {
		return 0, 0, err
	}
	wrong := wrongTOTP(a)
	var mu sync.Mutex
	var ready, wg sync.WaitGroup
	gate := make(chan struct{})
	for _, u := range users {
		ready.Add(1)
		wg.Add(1)
		go func() {
			defer wg.Done()
			ready.Done()
			<-gate
			_, e := u.ValidateTOTP(ctx, pending, wrong)
			mu.Lock()
			defer mu.Unlock()
			switch {
			case errors.Is(e, &client.APIError{Code: wire.InvalidCode}):
				evaluated++
			case errors.Is(e, &client.APIError{Code: wire.LockedOut}):
				locked++
			case err == nil:
				err = fmt.Errorf("a wrong code answered %v, want invalid_code or locked_out", e)
			}
		}()
	}
	ready.Wait()
	close(gate)
	wg.Wait()
	return evaluated, locked, err
}

// wrongTOTP returns a 6-digit code that matches none of the steps the server
// could accept in the next minutes.
func wrongTOTP(a *account) string {
	now := auth.Step(time.Now())
	bad := map[string]bool{}
	for s := now - 2; s <= now+20; s++ {
		bad[a.codeAt(s)] = true
	}
	for i := 0; ; i++ {
		c := fmt.Sprintf("%06d", (i*7919)%1_000_000)
		if !bad[c] {
			return c
		}
	}
}
