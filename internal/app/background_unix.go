//go:build unix

package app

import (
	"errors"
	"os"
	"time"

	"github.com/twofa/twofa/ui"
	"golang.org/x/sys/unix"
	"golang.org/x/term"
)

// askBackground sends ui.BackgroundQuery to the terminal on out and reads
// its answers from in, in raw mode, for at most timeout; it reports
// whether the background is dark, and ok false when no colour came back.
func askBackground(in, out *os.File, timeout time.Duration) (dark, ok bool) {
	fd := int(in.Fd())
	state, err := term.MakeRaw(fd)
	if err != nil {
		return false, false
	}
	defer func() { _ = term.Restore(fd, state) }()
	if _, err := out.WriteString(ui.BackgroundQuery); err != nil {
		return false, false
	}
	return ui.ParseBackground(readAnswer(fd, time.Now().Add(timeout)))
}

// readAnswer reads from fd until the answer is complete (ui.AnswerComplete),
// 1 KiB arrived, or the deadline passed; it never blocks past the deadline.
func readAnswer(fd int, deadline time.Time) []byte {
	var got []byte
	chunk := make([]byte, 256)
	for !ui.AnswerComplete(got) && len(got) < 1024 {
		left := time.Until(deadline)
		if left <= 0 {
			break
		}
		fds := []unix.PollFd{{Fd: int32(fd), Events: unix.POLLIN}}
		n, err := unix.Poll(fds, int(left/time.Millisecond)+1)
		if errors.Is(err, unix.EINTR) {
			continue
		}
		if err != nil || n == 0 {
			break
		}
		m, err := unix.Read(fd, chunk)
		if err != nil || m <= 0 {
			break
		}
		got = append(got, chunk[:m]...)
	}
	return got
}
