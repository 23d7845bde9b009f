package server

import (
	"testing"
	"time"

	"github.com/twofa/twofa/server/store"
)

// TestBackoff: free failures wait nothing, then 1 s doubling to the cap,
// without overflowing however many failures there are.
func TestBackoff(t *testing.T) {
	for _, tt := range []struct {
		n    int
		want time.Duration
	}{{0, 0}, {4, 0}, {5, time.Second}, {6, 2 * time.Second}, {10, 32 * time.Second}, {11, time.Minute}, {1000, time.Minute}, {1 << 40, time.Minute}} {
		if got := backoff(tt.n, 5, time.Minute); got != tt.want {
			t.Errorf("backoff(%d) = %v, want %v", tt.n, got, tt.want)
		}
	}
}

// TestHoldOf: who waits until when, for the records as they stand.
func TestHoldOf(t *testing.T) {
	p := DefaultThrottle
	now := time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)
	row := func(n int) store.ThrottleRow {
		if n == 0 {
			return store.ThrottleRow{}
		}
		return store.ThrottleRow{Failures: n, LastFailure: now}
	}
	tests := []struct {
		name                 string
		account, address     int
		known                bool
		wait                 time.Duration
		byAddress, evaluated bool
	}{
		{"nothing on record", 0, 0, false, 0, false, true},
		{"account's free failures", 4, 3, false, 0, false, true},
		{"account waits for a dirty address", 5, 1, false, time.Second, false, false},
		{"account's wait is capped", 60, 1, false, time.Minute, false, false},
		{"a clean address is not held by the account", 60, 0, false, 0, false, true},
		{"a known address is not held by the account", 60, 3, true, 0, false, true},
		{"address's free failures", 0, 9, false, 0, false, true},
		{"address waits", 0, 12, false, 4 * time.Second, true, false},
		{"address's wait is capped", 0, 500, false, 15 * time.Minute, true, false},
		{"a known address still waits for its own record", 0, 500, true, 15 * time.Minute, true, false},
		{"the longer wait decides", 7, 11, false, 4 * time.Second, false, false},
		{"ceiling holds a clean address", 100, 0, false, 15 * time.Minute, false, false},
		{"ceiling holds a dirty address", 150, 1, false, 15 * time.Minute, false, false},
		{"ceiling does not hold a known address", 150, 0, true, 0, false, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := p.holdOf(row(tt.account), row(tt.address), tt.known)
			wait := max(h.until.Sub(now), 0)
			if wait != tt.wait || (wait > 0 && h.byAddress != tt.byAddress) || now.Before(h.until) == tt.evaluated {
				t.Fatalf("hold %v (by address %v), want %v (by address %v)", wait, h.byAddress, tt.wait, tt.byAddress)
			}
		})
	}
}

// TestForget: a record untouched for Forget starts again from nothing.
func TestForget(t *testing.T) {
	p := DefaultThrottle
	now := time.Date(2025, 6, 2, 12, 0, 0, 0, time.UTC)
	r := store.ThrottleRow{Failures: 40, LastFailure: now.Add(-p.Forget + time.Second), Refused: 9, Reported: 40}
	if got := p.forget(r, now); got != r {
		t.Fatalf("forgotten a second early: %+v", got)
	}
	r.LastFailure = now.Add(-p.Forget)
	if got := p.forget(r, now); got.Failures != 0 || !got.LastFailure.IsZero() || got.Refused != 0 || got.Reported != 0 {
		t.Fatalf("not forgotten: %+v", got)
	}
}

// TestAddressSubject: IPv6 clients are counted by their /64, IPv4 by address.
func TestAddressSubject(t *testing.T) {
	for in, want := range map[string]string{
		"203.0.113.7":                  "203.0.113.7",
		"2001:db8:1:2:3:4:5:6":         "2001:db8:1:2::/64",
		"2001:db8:1:2:ffff::1":         "2001:db8:1:2::/64",
		"::ffff:203.0.113.7":           "::ffff:203.0.113.7",
		"not an address (a unix pipe)": "not an address (a unix pipe)",
	} {
		if got := addressSubject(in); got != want {
			t.Errorf("addressSubject(%q) = %q, want %q", in, got, want)
		}
	}
}
