package server_test

import (
	"sync"
	"testing"
	"time"

	"github.com/twofa/twofa/internal/harness/testdb"
	"github.com/twofa/twofa/server/servertest"
)

// BenchmarkValidateConcurrent is successful POST /api/auth/2fa/validate
// requests from 32 accounts at once, per backend (Postgres when
// testdb.PostgresEnv is set): in rounds, each round one step later, every
// account completes a pending sign-in issued before the round. Profile it with
// -cpuprofile (and -run '^$'); the pending sign-ins are issued outside the timer.
func BenchmarkValidateConcurrent(b *testing.B) {
	for _, be := range testdb.Backends() {
		b.Run(string(be), func(b *testing.B) {
			e := startEnv(b, servertest.Options{Backend: be}, nil)
			const n = 32
			us := make([]enrolled, n)
			for i := range us {
				us[i] = e.enroll(string(rune('a'+i%26)) + string(rune('a'+i/26)) + "bench")
			}
			b.ReportAllocs()
			b.ResetTimer()
			for range max(b.N/n, 1) {
				b.StopTimer()
				e.clk.Advance(30 * time.Second)
				pending := make([]string, n)
				for i, u := range us {
					pending[i] = e.pending(u)
				}
				b.StartTimer()
				var wg sync.WaitGroup
				for i, u := range us {
					wg.Go(func() {
						body := map[string]string{"temp_token": pending[i], "code": totpAt(b, u.secret, e.clk.Now())}
						e.do("POST", "/api/auth/2fa/validate", "", body).want(b, 200, "")
					})
				}
				wg.Wait()
			}
		})
	}
}
