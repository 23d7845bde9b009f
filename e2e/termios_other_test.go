//go:build !linux

package e2e

import "testing"

// expectRawMode is checked on Linux only, where the pty master reports the
// terminal's settings.
func expectRawMode(t *testing.T, _ *terminal) {
	t.Helper()
	t.Log("terminal mode not checked on this OS")
}

// expectCookedMode is checked on Linux only.
func expectCookedMode(t *testing.T, _ *terminal) {
	t.Helper()
	t.Log("terminal mode after exit not checked on this OS")
}
