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

// TestJudge: who waits until when, who asks again, for records as they stand.
func TestJudge(t *testing.T) {
	p := DefaultThrottle
	now := time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)
	type rec struct {
		failures, pending int
		waited            bool // the last failure is an hour old
	}
	row := func(r rec) store.ThrottleRow {
		out := store.ThrottleRow{Failures: r.failures, Pending: r.pending}
		if r.failures > 0 {
			out.LastFailure = now
			if r.waited {
				out.LastFailure = now.Add(-time.Hour)
			}
		}
		return out
	}
	tests := []struct {
		name             string
		account, address rec
		known            bool
		wait             time.Duration
		busy, byAddress  bool
	}{
		{"nothing on record", rec{}, rec{}, false, 0, false, false},
		{"account's free failures", rec{4, 0, false}, rec{3, 0, false}, false, 0, false, false},
		{"account waits for a dirty address", rec{5, 0, false}, rec{1, 0, false}, false, time.Second, false, false},
		{"account's wait is capped", rec{60, 0, false}, rec{1, 0, false}, false, time.Minute, false, false},
		{"a clean address is not held by the account", rec{60, 0, false}, rec{}, false, 0, false, false},
		{"an attempt in flight makes an address dirty", rec{60, 0, false}, rec{0, 1, false}, false, time.Minute, false, false},
		{"a known address is not held by the account", rec{60, 0, false}, rec{3, 0, false}, true, 0, false, false},
		{"address's free failures", rec{}, rec{9, 0, false}, false, 0, false, false},
		{"address waits", rec{}, rec{12, 0, false}, false, 4 * time.Second, false, true},
		{"address's wait is capped", rec{}, rec{500, 0, false}, false, 15 * time.Minute, false, true},
		{"a known address still waits for its own record", rec{}, rec{500, 0, false}, true, 15 * time.Minute, false, true},
		{"the longer wait decides", rec{7, 0, false}, rec{11, 0, false}, false, 4 * time.Second, false, false},
		{"ceiling holds a clean address", rec{100, 0, false}, rec{}, false, 15 * time.Minute, false, false},
		{"ceiling holds a dirty address", rec{150, 0, false}, rec{1, 0, false}, false, 15 * time.Minute, false, false},
		{"ceiling does not hold a known address", rec{150, 0, false}, rec{}, true, 0, false, false},
		{"free attempts in flight fill the account's allowance", rec{2, 3, false}, rec{1, 1, false}, false, 0, true, false},
		{"past the free ones, one in flight at a time", rec{5, 1, true}, rec{1, 0, true}, false, 0, true, false},
		{"past the free ones, the wait over, nothing in flight", rec{5, 0, true}, rec{1, 0, true}, false, 0, false, false},
		{"address's allowance in flight", rec{}, rec{4, 6, false}, false, 0, true, true},
		{"attempts in flight up to the ceiling", rec{90, 10, false}, rec{}, false, 0, true, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := p.judge(row(tt.account), row(tt.address), tt.known, now)
			wait := time.Duration(0)
			if !v.until.IsZero() {
				wait = v.until.Sub(now)
			}
			if wait != tt.wait || v.busy != tt.busy || ((wait > 0 || v.busy) && v.byAddress != tt.byAddress) || v.admitted() != (wait == 0 && !tt.busy) {
				t.Fatalf("verdict %+v (wait %v), want wait %v busy %v by address %v", v, wait, tt.wait, tt.busy, tt.byAddress)
			}
		})
	}
}

// TestTidy: a record untouched for Forget starts again from nothing; a
// pending count nobody added to for StalePending is dropped.
func TestTidy(t *testing.T) {
	p := DefaultThrottle
	now := time.Date(2025, 6, 2, 12, 0, 0, 0, time.UTC)
	r := store.ThrottleRow{Failures: 40, LastFailure: now.Add(-p.Forget + time.Second), Refused: 9, Reported: 40, Pending: 2, PendingSince: now.Add(-p.StalePending + time.Second)}
	if got := p.tidy(r, now); got != r {
		t.Fatalf("tidied a second early: %+v", got)
	}
	r.LastFailure, r.PendingSince = now.Add(-p.Forget), now.Add(-p.StalePending)
	if got := p.tidy(r, now); got.Failures != 0 || !got.LastFailure.IsZero() || got.Refused != 0 || got.Reported != 0 || got.Pending != 0 {
		t.Fatalf("not tidied: %+v", got)
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
