package client

import (
	"net/http"
	"sync"
	"time"
)

// DriftLimit is the clock offset above which screens should warn: TOTP
// tolerates about one 30-second step either way.
const DriftLimit = 15 * time.Second

// Clock is the server's clock as seen from here: server time = local + Offset.
// The offset comes from each response's Date header, which has a resolution
// of one second, so Offset is known only to about ±1 s.
type Clock struct {
	Offset time.Duration
	Known  bool // false until a response carried a usable Date header
}

// ServerNow converts a local time to the server's time.
func (k Clock) ServerNow(local time.Time) time.Time { return local.Add(k.Offset) }

// SecondsLeftInStep returns 1..30: the seconds left in the current 30-second
// TOTP step by the server's clock.
func (k Clock) SecondsLeftInStep(local time.Time) int {
	t := k.ServerNow(local).Unix()
	r := t % 30
	if r < 0 {
		r += 30
	}
	return 30 - int(r)
}

// Drifted reports whether the clocks differ by more than DriftLimit.
func (k Clock) Drifted() bool {
	if !k.Known {
		return false
	}
	return k.Offset > DriftLimit || k.Offset < -DriftLimit
}

// maxClockOffset is the largest offset a Date header is believed about: a
// computer whose clock was never set still shows its decades of drift.
const maxClockOffset = 100 * 365 * 24 * time.Hour

// clockState keeps the latest offset; now is injectable in tests.
type clockState struct {
	mu    sync.Mutex
	now   func() time.Time
	clock Clock
}

func (s *clockState) get() Clock {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.clock
}

// observe records the offset implied by a response's Date header, received
// at local time at. Date is truncated to the second, so the server's true
// time lies in [Date, Date+1s): the midpoint is used and the result rounded
// to whole seconds.
func (s *clockState) observe(h http.Header, at time.Time) {
	raw := h.Get("Date")
	if raw == "" {
		return
	}
	date, err := http.ParseTime(raw)
	if err != nil {
		return
	}
	off := date.Add(500 * time.Millisecond).Sub(at).Round(time.Second)
	if off > maxClockOffset || off < -maxClockOffset {
		return // not a clock anyone runs: a made-up header
	}
	s.mu.Lock()
	s.clock = Clock{Offset: off, Known: true}
	s.mu.Unlock()
}
