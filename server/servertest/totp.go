package servertest

import (
	"testing"
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"
)

// CodeAt is what an authenticator app shows for secret at the time at:
// RFC 6238 with SHA-1, 6 digits and a 30-second step, the parameters of
// every otpauth URI the reference server issues.
func CodeAt(t testing.TB, secret string, at time.Time) string {
	t.Helper()
	c, err := totp.GenerateCodeCustom(secret, at, totp.ValidateOpts{Period: 30, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1})
	if err != nil {
		t.Fatalf("servertest: TOTP code: %v", err)
	}
	return c
}
