//go:build !unix

package app

import (
	"os"
	"time"
)

// askBackground cannot ask a terminal here: no colour comes back, and
// termenv's detection decides.
func askBackground(_, _ *os.File, _ time.Duration) (dark, ok bool) {
	return false, false
}
