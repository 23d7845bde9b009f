package auth

import (
	"context"
	"fmt"
	"runtime"
	"sync/atomic"
)

// limiter bounds how many argon2id derivations run at once. Each password
// derivation allocates its whole memory cost (64 MiB by default), so without
// a bound any client able to send sign-ins could make the server allocate
// 64 MiB per concurrent request; with it, memory stays at limit × cost and
// the extra requests queue, which also keeps the cores hashing instead of
// faulting in fresh pages.
type limiter struct {
	slots chan struct{}
	// inFlight and peak count derivations holding a slot, so tests can show
	// the bound holds.
	inFlight atomic.Int64
	peak     atomic.Int64
}

// newLimiter returns a limiter admitting n derivations at once (at least 1).
func newLimiter(n int) *limiter {
	if n < 1 {
		n = 1
	}
	return &limiter{slots: make(chan struct{}, n)}
}

// acquire waits for a slot, or returns ctx's error once ctx is done, so a
// request whose client went away stops waiting.
func (l *limiter) acquire(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("wait for an argon2id slot: %w", err)
	}
	select {
	case l.slots <- struct{}{}:
	case <-ctx.Done():
		return fmt.Errorf("wait for an argon2id slot: %w", ctx.Err())
	}
	n := l.inFlight.Add(1)
	for {
		p := l.peak.Load()
		if n <= p || l.peak.CompareAndSwap(p, n) {
			break
		}
	}
	return nil
}

// release gives back a slot taken by acquire.
func (l *limiter) release() {
	l.inFlight.Add(-1)
	<-l.slots
}

// limit returns how many derivations may run at once.
func (l *limiter) limit() int { return cap(l.slots) }

// kdf is the process-wide bound: one derivation per usable core.
var kdf = newLimiter(runtime.GOMAXPROCS(0))

// MaxConcurrentDerivations returns how many argon2id derivations this
// process runs at once; further calls to HashContext and VerifyContext wait.
func MaxConcurrentDerivations() int { return kdf.limit() }
