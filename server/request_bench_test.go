package server_test

import (
	"testing"
	"time"

	"github.com/twofa/twofa/server/servertest"
)

// BenchmarkValidateTOTP is one successful POST /api/auth/2fa/validate, the
// whole request in-process: the real handler behind httptest on loopback, a
// temp SQLite file (servertest). Each op gets a fresh pending sign-in and
// the next step's code outside the timer. Run with -cpuprofile to see where
// a validation's time goes; bench/ measures the same request under load
// against its floors.
func BenchmarkValidateTOTP(b *testing.B) {
	e := startEnv(b, servertest.Options{}, nil)
	u := e.enroll("bench")
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		e.clk.Advance(30 * time.Second)
		body := map[string]string{"temp_token": e.pending(u), "code": totpAt(b, u.secret, e.clk.Now())}
		b.StartTimer()
		e.do("POST", "/api/auth/2fa/validate", "", body).want(b, 200, "")
	}
}

// BenchmarkSignIn is one password sign-in without 2FA with argon2id test
// costs: everything POST /api/auth/token does besides the key derivation
// (auth.BenchmarkVerifyPassword times that).
func BenchmarkSignIn(b *testing.B) {
	e := startEnv(b, servertest.Options{}, nil)
	e.user("bench", "correct horse battery staple", "user")
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		e.login("bench", "correct horse battery staple").want(b, 200, "")
	}
}
