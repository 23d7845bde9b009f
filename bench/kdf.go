package main

import (
	"fmt"
	"runtime"
	"sync/atomic"
	"time"

	"github.com/twofa/twofa/server/auth"
)

// kdfWindow verifies the stored password hash with the server's own
// auth.Verify for at least d (at least once on each goroutine), from twice as many goroutines as cores, so
// every slot of auth's derivation bound (one per core, as in the server) is
// always busy: the most this machine's cores can hash right now. It returns
// how many verifications ended and over how long.
func kdfWindow(hash, password string, d time.Duration) (int, time.Duration, error) {
	var done, bad atomic.Int64
	start := time.Now()
	elapsed := together(2*runtime.GOMAXPROCS(0), func(int) {
		for {
			if ok, err := auth.Verify(password, hash); err != nil || !ok {
				bad.Add(1)
			}
			done.Add(1)
			if time.Since(start) >= d {
				return
			}
		}
	})
	if bad.Load() > 0 {
		return 0, 0, fmt.Errorf("KDF floor: %d of %d verifications of the stored hash failed", bad.Load(), done.Load())
	}
	return int(done.Load()), elapsed, nil
}

// interleaveKDF runs rounds of a burst with a window of saturated hashing
// before each round and after the last, so the floor is measured beside
// the burst, through the same changes of the machine's load. It returns the
// rate over all windows and each window's rate.
func interleaveKDF(hash, password string, window time.Duration, rounds int, round func(i int)) (float64, []float64, error) {
	// One untimed verification per goroutine first: the first derivations
	// of a process fault in their memory (the server is warmed the same way).
	if _, _, err := kdfWindow(hash, password, time.Nanosecond); err != nil {
		return 0, nil, err
	}
	var total int
	var spent time.Duration
	var each []float64
	for i := 0; i <= rounds; i++ {
		n, d, err := kdfWindow(hash, password, window)
		if err != nil {
			return 0, nil, err
		}
		total, spent, each = total+n, spent+d, append(each, rate(n, d))
		if i < rounds {
			round(i)
		}
	}
	return rate(total, spent), each, nil
}
