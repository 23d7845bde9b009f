package vtterm

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

// ErrExited reports that the program exited before the screen showed what
// a wait was for.
var ErrExited = errors.New("program exited")

// ErrTimeout reports that a wait ran out of time.
var ErrTimeout = errors.New("timed out")

// pollEvery is how often a wait looks at the screen.
const pollEvery = 5 * time.Millisecond

// WaitUntil polls the screen until ok accepts it and returns that screen.
// When the program exits first, its last output is let through to the
// screen (up to a second) and checked once more before ErrExited is
// returned; ErrTimeout is returned when timeout passes.
func (t *Term) WaitUntil(timeout time.Duration, ok func(screen string) bool) (string, error) {
	deadline := time.Now().Add(timeout)
	for {
		screen := t.Screen()
		if ok(screen) {
			return screen, nil
		}
		select {
		case <-t.exited:
			select {
			case <-t.readDone:
			case <-time.After(time.Second):
			}
			if screen := t.Screen(); ok(screen) {
				return screen, nil
			}
			return "", ErrExited
		default:
		}
		if time.Now().After(deadline) {
			return "", ErrTimeout
		}
		time.Sleep(pollEvery)
	}
}

// WaitText waits until every want string is on screen; the error carries
// the screen.
func (t *Term) WaitText(want []string, timeout time.Duration) error {
	if _, err := t.WaitUntil(timeout, func(s string) bool { return ContainsAll(s, want) }); err != nil {
		return fmt.Errorf("waiting %s for %q: %w; screen:\n%s", timeout, want, err, t.Screen())
	}
	return nil
}

// ContainsAll reports whether s holds every string in want.
func ContainsAll(s string, want []string) bool {
	for _, w := range want {
		if !strings.Contains(s, w) {
			return false
		}
	}
	return true
}
