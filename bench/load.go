package main

import (
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/twofa/twofa/client"
	"github.com/twofa/twofa/internal/wire"
)

// user is one simulated person: a client.Client of its own, as one twofa
// process has (so one keep-alive connection), and the session it holds.
// Every request the harness sends goes through the real client package.
type user struct {
	*client.Client
	tokens *client.TokenHolder
}

// newUsers returns n users of server (an http:// loopback URL, optionally
// with a path prefix), each with a session of its own.
func newUsers(server string, n int) ([]*user, error) {
	fresh := make([]*user, n)
	for i := range fresh {
		fresh[i] = &user{tokens: client.NewTokenHolder()}
	}
	return onServer(server, fresh)
}

// onServer returns users of another server that share the sessions of like,
// one for one: the same people reaching a second server process.
func onServer(server string, like []*user) ([]*user, error) {
	out := make([]*user, len(like))
	for i, u := range like {
		c, err := client.New(client.Options{Server: server, Tokens: u.tokens, UserAgentVersion: "bench"})
		if err != nil {
			return nil, fmt.Errorf("client for %s: %w", server, err)
		}
		out[i] = &user{Client: c, tokens: u.tokens}
	}
	return out, nil
}

// refused reports whether err is the server turning a code down, which the
// harness counts and works around instead of failing the run.
func refused(err error) bool {
	return errors.Is(err, &client.APIError{Code: wire.InvalidCode}) ||
		errors.Is(err, &client.APIError{Code: wire.CodeReused})
}

// tally collects the latencies of successful requests by kind, and counts
// refusals and failures, from many goroutines.
type tally struct {
	mu      sync.Mutex
	lat     map[string][]float64 // ms
	failed  int
	refused int
	first   error
}

// newTally returns an empty tally.
func newTally() *tally { return &tally{lat: map[string][]float64{}} }

// observe records one request of kind that started at t0: its latency when
// err is nil, a failure otherwise.
func (t *tally) observe(kind string, t0 time.Time, err error) {
	d := float64(time.Since(t0)) / float64(time.Millisecond)
	t.mu.Lock()
	defer t.mu.Unlock()
	if err == nil {
		t.lat[kind] = append(t.lat[kind], d)
		return
	}
	t.failed++
	if t.first == nil {
		t.first = fmt.Errorf("%s after %.0f ms: %w", kind, d, err)
	}
}

// refuse counts a code the server turned down that the caller sends again.
func (t *tally) refuse() {
	t.mu.Lock()
	t.refused++
	t.mu.Unlock()
}

// ok returns the latencies of the successful requests of the given kinds
// (all kinds when none is named).
func (t *tally) ok(kinds ...string) []float64 {
	t.mu.Lock()
	defer t.mu.Unlock()
	if len(kinds) == 0 {
		for k := range t.lat {
			kinds = append(kinds, k)
		}
	}
	var out []float64
	for _, k := range kinds {
		out = append(out, t.lat[k]...)
	}
	return out
}

// failures describes the failures for a figure's note ("" when none).
func (t *tally) failures() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.failed == 0 {
		return ""
	}
	return fmt.Sprintf("; %d failed, first: %v", t.failed, t.first)
}

// drive sends total requests from users, one goroutine each taking the
// next request number j until none is left; each request, do(u, c, j) as
// user c, is timed into t as kind. It returns the elapsed time.
func (t *tally) drive(kind string, users []*user, total int, do func(u *user, c, j int) error) time.Duration {
	_, elapsed := busyRun(len(users), total, func(c, j int) {
		t0 := time.Now()
		t.observe(kind, t0, do(users[c], c, j))
	})
	return elapsed
}

// err is the first failure as an error of what, or nil when none failed.
func (t *tally) err(what string) error {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.failed == 0 {
		return nil
	}
	return fmt.Errorf("%s: %w", what, t.first)
}

// together runs fn(0..n-1) on n goroutines at once and returns how long it
// took until the last one returned.
func together(n int, fn func(i int)) time.Duration {
	var wg sync.WaitGroup
	start := time.Now()
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			fn(i)
		}()
	}
	wg.Wait()
	return time.Since(start)
}

// rate is n per second over d.
func rate(n int, d time.Duration) float64 {
	if d <= 0 {
		return 0
	}
	return float64(n) / d.Seconds()
}
