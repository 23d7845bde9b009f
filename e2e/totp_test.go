package e2e

import (
	"testing"
	"time"

	"github.com/twofa/twofa/server/servertest"
)

// totpPeriod is the TOTP time step, in seconds.
const totpPeriod = 30

// stepAt returns the TOTP time step of t.
func stepAt(t time.Time) int64 { return t.Unix() / totpPeriod }

// freshStep returns a time step the server accepts now — it allows one
// step either side of its clock — that is later than last, the step it
// accepted before (a step once used is never accepted again). When last is
// already the next step, it waits for the clock to move on.
func freshStep(t *testing.T, last int64) int64 {
	t.Helper()
	for {
		now := stepAt(time.Now())
		if last+1 <= now+1 {
			return max(last+1, now)
		}
		wait := time.Until(time.Unix((now+1)*totpPeriod, 0))
		t.Logf("waiting %s for a TOTP step after %d", wait.Round(time.Millisecond), last)
		time.Sleep(wait + 50*time.Millisecond)
	}
}

// codeAt returns the 6-digit code of secret for a time step.
func codeAt(t *testing.T, secret string, step int64) string {
	t.Helper()
	return servertest.CodeAt(t, secret, time.Unix(step*totpPeriod, 0))
}

// wrongCode returns a 6-digit code that is no valid code of secret for any
// step within a minute of now, so the server must refuse it.
func wrongCode(t *testing.T, secret string, now time.Time, n int) string {
	t.Helper()
	valid := map[string]bool{}
	for d := int64(-3); d <= 3; d++ {
		valid[codeAt(t, secret, stepAt(now)+d)] = true
	}
	for i := n; ; i++ {
		code := sixDigits(i * 137_911) // varied digits for each n
		if !valid[code] {
			return code
		}
	}
}

// sixDigits formats n modulo one million as six digits.
func sixDigits(n int) string {
	n %= 1_000_000
	b := []byte("000000")
	for i := 5; i >= 0; i-- {
		b[i] = byte('0' + n%10)
		n /= 10
	}
	return string(b)
}
