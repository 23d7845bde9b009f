package auth

import (
	"context"
	"fmt"
	"runtime"
	"sync/atomic"

	"golang.org/x/sync/semaphore"
)

// DefaultMemoryBudget is the argon2id memory, in KiB, that this process's
// derivations may hold at once: one password derivation with
// PasswordParams (64 MiB, hashing on two cores: p=2), or three
// backup-code ones. With two password derivations in flight a sign-in
// burst peaked at 160 to 220 MiB, the freed buffer of one often not
// reusable for the next; with one, its heap stays near 64 MiB.
const DefaultMemoryBudget = 64 * 1024

// collectAbove is the derivation memory (KiB) from which a finished
// derivation runs the garbage collector before it gives its memory back.
const collectAbove = 8 * 1024

// limiter bounds the argon2id derivations running at once: at most one
// per usable core, and at most budget KiB of argon2id memory among them
// (a derivation allocates its whole memory cost, 64 MiB for a password).
// Further derivations queue in arrival order. Without the memory bound the
// freed buffers of finished derivations waited for the next collection
// while new ones were allocated, and a sign-in burst held three times the
// memory actually in use; so a large derivation also collects its buffer
// before the next one may start, and the next reuses its pages.
type limiter struct {
	slots  *semaphore.Weighted
	memory *semaphore.Weighted
	n      int
	budget int64 // KiB
	// inFlight and peak count derivations holding a slot, memInFlight and
	// memPeak their memory, so tests can show the bounds hold.
	inFlight, peak       atomic.Int64
	memInFlight, memPeak atomic.Int64
}

// newLimiter returns a limiter admitting n derivations (at least 1) and
// budget KiB of their memory at once.
func newLimiter(n int, budget int64) *limiter {
	n = max(n, 1)
	budget = max(budget, 1)
	return &limiter{slots: semaphore.NewWeighted(int64(n)), memory: semaphore.NewWeighted(budget), n: n, budget: budget}
}

// weight is what a derivation of kib KiB takes of the budget: one larger
// than the whole budget runs alone.
func (l *limiter) weight(kib uint32) int64 { return min(max(int64(kib), 1), l.budget) }

// acquire waits for a slot and kib KiB of the budget, or returns ctx's
// error once ctx is done, so a request whose client went away (or whose
// deadline passed) stops waiting.
func (l *limiter) acquire(ctx context.Context, kib uint32) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("wait for an argon2id slot: %w", err)
	}
	if err := l.memory.Acquire(ctx, l.weight(kib)); err != nil {
		return fmt.Errorf("wait for argon2id memory: %w", err)
	}
	if err := l.slots.Acquire(ctx, 1); err != nil {
		l.memory.Release(l.weight(kib))
		return fmt.Errorf("wait for an argon2id slot: %w", err)
	}
	raise(&l.peak, l.inFlight.Add(1))
	raise(&l.memPeak, l.memInFlight.Add(int64(kib)))
	return nil
}

// raise lifts peak to at least v.
func raise(peak *atomic.Int64, v int64) {
	for {
		p := peak.Load()
		if v <= p || peak.CompareAndSwap(p, v) {
			return
		}
	}
}

// release gives back what acquire took for a derivation of kib KiB, after
// collecting its freed buffer when it was large.
func (l *limiter) release(kib uint32) {
	l.inFlight.Add(-1)
	l.memInFlight.Add(-int64(kib))
	l.slots.Release(1)
	if kib >= collectAbove {
		runtime.GC()
	}
	l.memory.Release(l.weight(kib))
}

// limit returns how many derivations may run at once.
func (l *limiter) limit() int { return l.n }

// kdf is the process-wide bound: one derivation per usable core within
// DefaultMemoryBudget.
var kdf = newLimiter(runtime.GOMAXPROCS(0), DefaultMemoryBudget)

// MaxConcurrentDerivations returns how many argon2id derivations this
// process runs at once at most; further calls to HashContext and
// VerifyContext wait (see MemoryBudget for the other bound).
func MaxConcurrentDerivations() int { return kdf.limit() }

// MemoryBudget returns the argon2id memory, in KiB, that this process's
// derivations hold at once at most; a derivation that would pass it waits.
func MemoryBudget() int64 { return kdf.budget }
