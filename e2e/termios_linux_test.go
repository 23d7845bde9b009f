package e2e

import (
	"testing"

	"golang.org/x/sys/unix"
)

// localFlags reads the terminal's local mode flags through the pty master
// (on Linux the master answers for the terminal), without switching the
// master to blocking mode as File.Fd would.
func localFlags(t *testing.T, term *terminal) uint32 {
	t.Helper()
	raw, err := term.vt.SyscallConn()
	if err != nil {
		t.Fatalf("pty master: %v", err)
	}
	var tio *unix.Termios
	var ioErr error
	if err := raw.Control(func(fd uintptr) { tio, ioErr = unix.IoctlGetTermios(int(fd), unix.TCGETS) }); err != nil {
		t.Fatalf("pty master: %v", err)
	}
	if ioErr != nil {
		t.Fatalf("read the terminal's settings: %v", ioErr)
	}
	return tio.Lflag
}

// expectRawMode checks that the running program has the terminal in raw mode.
func expectRawMode(t *testing.T, term *terminal) {
	t.Helper()
	if lflag := localFlags(t, term); lflag&(unix.ICANON|unix.ECHO) != 0 {
		t.Errorf("the terminal is not in raw mode while twofa runs (lflag %#x)", lflag)
	}
}

// expectCookedMode checks that the program put the terminal back in
// canonical mode with echo when it exited.
func expectCookedMode(t *testing.T, term *terminal) {
	t.Helper()
	if lflag := localFlags(t, term); lflag&unix.ICANON == 0 || lflag&unix.ECHO == 0 {
		t.Errorf("the terminal was left in raw mode (lflag %#x): want ICANON and ECHO back", lflag)
	}
}
