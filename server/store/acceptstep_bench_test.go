package store

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/twofa/twofa/internal/harness/testdb"
)

// acceptGoroutines is how many goroutines BenchmarkAcceptStep runs; the
// bench harness passes its number of concurrent clients.
var acceptGoroutines = flag.Int("acceptstep.goroutines", 64, "goroutines of BenchmarkAcceptStep, each on its own account")

// BenchmarkAcceptStep is the database floor of a TOTP validation: b.N ×
// AcceptStep, the one conditional UPDATE that takes a step, from
// -acceptstep.goroutines goroutines, each on its own account with rising
// steps, through a store opened with Open as the server opens it, per
// backend (Postgres only when testdb.PostgresEnv is set, else a skip that -v
// shows); ns/op is wall time over all goroutines and ops/s its inverse.
func BenchmarkAcceptStep(b *testing.B) {
	for _, be := range testdb.Backends() {
		b.Run(string(be), func(b *testing.B) {
			if be == testdb.Postgres && os.Getenv(testdb.PostgresEnv) == "" {
				b.Skip(testdb.PostgresEnv + " not set: Postgres skipped, SQLite only")
			}
			ctx := context.Background()
			s, err := Open(ctx, testdb.New(b, be).DSN)
			if err != nil {
				b.Fatal(err)
			}
			defer s.Close()
			ids := make([]int64, *acceptGoroutines)
			for i := range ids {
				if ids[i], err = s.Users.Create(ctx, s.DB(), fmt.Sprintf("floor%d", i), "x", "user", time.Unix(1, 0)); err != nil {
					b.Fatal(err)
				}
			}
			b.ResetTimer()
			if err := acceptSteps(ctx, s, ids, b.N); err != nil {
				b.Fatal(err)
			}
			b.StopTimer()
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "ops/s")
		})
	}
}

// acceptSteps runs total AcceptSteps, one goroutine per account, each
// taking steps 1, 2, … of its own account, and returns the first failure.
func acceptSteps(ctx context.Context, s *Store, ids []int64, total int) error {
	var next atomic.Int64
	var wg sync.WaitGroup
	errs := make(chan error, len(ids))
	for _, id := range ids {
		wg.Go(func() {
			for step := int64(1); next.Add(1) <= int64(total); step++ {
				ok, err := s.TwoFactor.AcceptStep(ctx, s.DB(), id, step)
				if err == nil && !ok {
					err = errors.New("the conditional UPDATE changed no row")
				}
				if err != nil {
					errs <- fmt.Errorf("AcceptStep(%d, %d): %w", id, step, err)
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	return <-errs
}
