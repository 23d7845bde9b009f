package auth

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"
)

// TestVerifyConcurrencyBounded runs 32 real derivations at once through the
// process-wide limiter and checks, with its instrumented counter, that no
// more than MaxConcurrentDerivations ever ran together.
func TestVerifyConcurrencyBounded(t *testing.T) {
	p := Params{Memory: 2 * 1024, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}
	hash, err := Hash("right", p)
	if err != nil {
		t.Fatal(err)
	}
	kdf.peak.Store(0)
	const callers = 32
	start := make(chan struct{})
	results := make([]bool, callers)
	errs := make([]error, callers)
	var wg sync.WaitGroup
	for i := range callers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			secret := "wrong"
			if i%2 == 0 {
				secret = "right"
			}
			results[i], errs[i] = VerifyContext(context.Background(), secret, hash)
		}()
	}
	close(start)
	wg.Wait()
	for i := range callers {
		if errs[i] != nil {
			t.Fatalf("caller %d: %v", i, errs[i])
		}
		if want := i%2 == 0; results[i] != want {
			t.Errorf("caller %d: Verify = %v, want %v", i, results[i], want)
		}
	}
	if peak, limit := kdf.peak.Load(), int64(MaxConcurrentDerivations()); peak < 1 || peak > limit {
		t.Fatalf("peak concurrent derivations = %d, want 1..%d", peak, limit)
	}
	if n := kdf.inFlight.Load(); n != 0 {
		t.Fatalf("%d derivations still counted in flight after every call returned", n)
	}
}

// TestLimiterHoldsExactlyLimit shows the bound is reached and never passed:
// 32 goroutines acquire a limiter of 3 and hold their slot until released.
// Three of them are seen inside at once, and the peak is still 3.
func TestLimiterHoldsExactlyLimit(t *testing.T) {
	l := newLimiter(3, 1<<20)
	inside := make(chan struct{})
	hold := make(chan struct{})
	var wg sync.WaitGroup
	for range 32 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := l.acquire(context.Background(), 64); err != nil {
				t.Error(err)
				return
			}
			inside <- struct{}{}
			<-hold
			l.release(64)
		}()
	}
	for range 3 {
		<-inside
	}
	if n := l.inFlight.Load(); n != 3 {
		t.Fatalf("in flight with every slot held = %d, want 3", n)
	}
	close(hold)
	for range 32 - 3 {
		<-inside
	}
	wg.Wait()
	if p := l.peak.Load(); p != 3 {
		t.Fatalf("peak = %d, want exactly the limit 3", p)
	}
}

// TestCancelledWaitStopsWaiting fills every slot, then shows that a
// derivation whose context is cancelled returns the context's error
// instead of waiting, and derives nothing.
func TestCancelledWaitStopsWaiting(t *testing.T) {
	hash, err := Hash("x", LightParams)
	if err != nil {
		t.Fatal(err)
	}
	l := newLimiter(1, 1<<20)
	if err := l.acquire(context.Background(), 64); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- l.acquire(ctx, 64) }()
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Fatalf("acquire on a full limiter after cancel = %v, want context.Canceled", err)
	}
	l.release(64)

	tests := []struct {
		name string
		run  func(ctx context.Context) error
	}{
		{"VerifyContext", func(ctx context.Context) error { _, err := VerifyContext(ctx, "x", hash); return err }},
		{"HashContext", func(ctx context.Context) error { _, err := HashContext(ctx, "x", LightParams); return err }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			cancel()
			if err := tt.run(ctx); !errors.Is(err, context.Canceled) {
				t.Fatalf("%s with a cancelled context = %v, want context.Canceled", tt.name, err)
			}
		})
	}
}

// TestDummyHash checks the dummy hash carries the requested costs, never
// matches, and differs between calls.
func TestDummyHash(t *testing.T) {
	d1, err := DummyHash(LightParams)
	if err != nil {
		t.Fatal(err)
	}
	d2, _ := DummyHash(LightParams)
	if d1 == d2 {
		t.Fatal("two dummy hashes are equal")
	}
	real, _ := Hash("pw", LightParams)
	if d1[:len("$argon2id$v=19$m=64,t=1,p=1$")] != real[:len("$argon2id$v=19$m=64,t=1,p=1$")] {
		t.Fatalf("dummy %q does not carry the costs of %q", d1, real)
	}
	for _, pw := range []string{"", "pw", "twofa-dummy-password"} {
		ok, err := Verify(pw, d1)
		if err != nil || ok {
			t.Fatalf("Verify(%q, dummy) = %v, %v; want false, nil", pw, ok, err)
		}
	}
}

// TestLimiterMemoryBudget: derivations are admitted while their memory
// fits the budget, whatever the slots allow; one larger than the whole
// budget runs alone; a wait for memory ends with its context's deadline.
func TestLimiterMemoryBudget(t *testing.T) {
	tests := []struct {
		name            string
		budget          int64
		kib             uint32
		wantPeak        int64
		wantMemPeakOver int64 // the memory peak may not pass this
	}{
		{"two fit", 128, 64, 2, 128},
		{"one fits", 100, 64, 1, 100},
		{"bigger than the budget runs alone", 50, 64, 1, 64},
		{"small ones up to the slots", 1000, 10, 4, 40},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := newLimiter(4, tt.budget)
			inside := make(chan struct{}, 16)
			hold := make(chan struct{})
			var wg sync.WaitGroup
			for range 16 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					if err := l.acquire(context.Background(), tt.kib); err != nil {
						t.Error(err)
						return
					}
					inside <- struct{}{}
					<-hold
					l.release(tt.kib)
				}()
			}
			for range tt.wantPeak {
				<-inside
			}
			select {
			case <-inside:
				t.Fatalf("more than %d derivations of %d KiB admitted within %d KiB", tt.wantPeak, tt.kib, tt.budget)
			case <-time.After(50 * time.Millisecond):
			}
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
			if err := l.acquire(ctx, tt.kib); !errors.Is(err, context.DeadlineExceeded) {
				t.Fatalf("acquire past its deadline with the budget taken = %v, want context.DeadlineExceeded", err)
			}
			cancel()
			close(hold)
			wg.Wait()
			if p := l.peak.Load(); p != tt.wantPeak {
				t.Fatalf("peak %d derivations, want %d", p, tt.wantPeak)
			}
			if m := l.memPeak.Load(); m > tt.wantMemPeakOver {
				t.Fatalf("peak memory %d KiB, want at most %d", m, tt.wantMemPeakOver)
			}
			if l.inFlight.Load() != 0 || l.memInFlight.Load() != 0 {
				t.Fatal("derivations still counted after every release")
			}
		})
	}
}
