package main

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"sync"
	"time"

	"github.com/creack/pty"
	"github.com/hinshun/vt10x"
	"github.com/twofa/twofa/internal/runewriter"
)

// termCols and termRows are the terminal size every TUI run gets: the
// smallest size the design promises to fit.
const (
	termCols = 80
	termRows = 24
)

// chunk is one read from the pty master: what the program wrote and when.
type chunk struct {
	at   time.Time
	n    int
	data []byte // kept only when Term.keepData is set (debugging)
}

// Term runs a program in a pseudo-terminal, keeps a vt10x screen of what it
// draws, answers the queries a real terminal answers (background colour,
// cursor position) and records every byte the program writes.
type Term struct {
	cmd   *exec.Cmd
	ptmx  *os.File
	vt    vt10x.Terminal
	vtIn  *runewriter.Writer // whole UTF-8 sequences into vt (vt10x drops a split one)
	start time.Time

	mu     sync.Mutex
	chunks []chunk
	total  int
	carry  []byte // tail of the previous read, for queries split across reads
	asked  int    // colour queries answered
	done   chan struct{}

	keepData bool // keep each chunk's bytes, for debugging a run
}

// StartTerm starts bin with args and env in an 80x24 pseudo-terminal. The
// start time is taken immediately before the fork.
func StartTerm(bin string, args, env []string) (*Term, error) {
	cmd := exec.Command(bin, args...)
	cmd.Env = env
	t := &Term{cmd: cmd, done: make(chan struct{})}
	t.start = time.Now()
	ptmx, err := pty.StartWithSize(cmd, &pty.Winsize{Cols: termCols, Rows: termRows})
	if err != nil {
		return nil, fmt.Errorf("start %s in a pty: %w", bin, err)
	}
	t.ptmx = ptmx
	t.vt = vt10x.New(vt10x.WithSize(termCols, termRows), vt10x.WithWriter(ptmx))
	t.vtIn = runewriter.New(t.vt)
	go t.readLoop()
	return t, nil
}

// readLoop copies the program's output into the screen until the pty closes.
func (t *Term) readLoop() {
	defer close(t.done)
	buf := make([]byte, 64<<10)
	for {
		n, err := t.ptmx.Read(buf)
		if n > 0 {
			now := time.Now()
			data := buf[:n]
			t.answerQueries(data)
			t.mu.Lock()
			c := chunk{at: now, n: n}
			if t.keepData {
				c.data = append([]byte(nil), data...)
			}
			t.chunks = append(t.chunks, c)
			t.total += n
			_, _ = t.vtIn.Write(data)
			t.mu.Unlock()
		}
		if err != nil {
			// EOF, or EIO once the program has exited and closed its side:
			// either way the screen is final.
			return
		}
	}
}

// answerQueries replies to OSC 10/11 colour queries the way xterm does (dark
// background, light foreground). vt10x itself answers CSI 6n, after this
// reply, which is the order termenv expects.
func (t *Term) answerQueries(data []byte) {
	scan := append(t.carry, data...)
	for _, q := range []struct{ query, reply string }{
		{"\x1b]11;?", "\x1b]11;rgb:0000/0000/0000\x1b\\"},
		{"\x1b]10;?", "\x1b]10;rgb:ffff/ffff/ffff\x1b\\"},
	} {
		// Count only queries that end inside this read, so a query split
		// across two reads is answered once.
		from := 0
		for {
			i := bytes.Index(scan[from:], []byte(q.query))
			if i < 0 {
				break
			}
			end := from + i + len(q.query)
			if end > len(t.carry) {
				_, _ = t.ptmx.WriteString(q.reply)
				t.mu.Lock()
				t.asked++
				t.mu.Unlock()
			}
			from = end
		}
	}
	const keep = 8
	if len(scan) > keep {
		scan = scan[len(scan)-keep:]
	}
	t.carry = append([]byte(nil), scan...)
}

// Screen returns the visible screen as text, one line per row; cells
// never written read as spaces.
func (t *Term) Screen() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return strings.ReplaceAll(t.vt.String(), "\x00", " ")
}

// Bytes returns how many bytes the program has written so far.
func (t *Term) Bytes() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.total
}

// Answered returns how many colour queries the program made and got an answer to.
func (t *Term) Answered() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.asked
}

// lastChunk returns the time of the most recent output, or the start time.
func (t *Term) lastChunk() time.Time {
	t.mu.Lock()
	defer t.mu.Unlock()
	if len(t.chunks) == 0 {
		return t.start
	}
	return t.chunks[len(t.chunks)-1].at
}

// WaitDrawn waits until every want string is on screen and no output has
// arrived for quiet, then returns the time from process start to the last
// output before that quiet spell: the moment the screen was complete.
func (t *Term) WaitDrawn(want []string, quiet, timeout time.Duration) (time.Duration, error) {
	deadline := time.Now().Add(timeout)
	for {
		last := t.lastChunk()
		if time.Since(last) >= quiet && containsAll(t.Screen(), want) {
			// Re-check that nothing arrived between the two reads.
			if t.lastChunk().Equal(last) {
				return last.Sub(t.start), nil
			}
		}
		select {
		case <-t.done:
			if containsAll(t.Screen(), want) {
				return t.lastChunk().Sub(t.start), nil
			}
			return 0, fmt.Errorf("program exited before drawing %q; screen:\n%s", want, t.Screen())
		default:
		}
		if time.Now().After(deadline) {
			return 0, fmt.Errorf("timed out after %s waiting for %q; screen:\n%s", timeout, want, t.Screen())
		}
		time.Sleep(2 * time.Millisecond)
	}
}

// WaitText waits until every want string is on screen (no quiet spell needed).
func (t *Term) WaitText(want []string, timeout time.Duration) error {
	_, err := t.WaitDrawn(want, 0, timeout)
	return err
}

// WaitQuiet waits until no output has arrived for quiet.
func (t *Term) WaitQuiet(quiet, timeout time.Duration) error {
	_, err := t.WaitDrawn(nil, quiet, timeout)
	return err
}

// WaitOutput waits until the program has written more than before bytes in
// total; it reports false when nothing came within timeout.
func (t *Term) WaitOutput(before int, timeout time.Duration) bool {
	deadline := time.Now().Add(timeout)
	for time.Now().Before(deadline) {
		if t.Bytes() > before {
			return true
		}
		time.Sleep(time.Millisecond)
	}
	return false
}

// Send writes s to the program's input as if typed.
func (t *Term) Send(s string) error {
	if _, err := t.ptmx.WriteString(s); err != nil {
		return fmt.Errorf("write to pty: %w", err)
	}
	return nil
}

// Pid returns the program's process id.
func (t *Term) Pid() int { return t.cmd.Process.Pid }

// Close sends Ctrl+C, waits briefly for a clean exit, kills the process if it
// is still there, and releases the pty.
func (t *Term) Close() error {
	_ = t.Send("\x03")
	exited := make(chan error, 1)
	go func() { exited <- t.cmd.Wait() }()
	var err error
	select {
	case err = <-exited:
	case <-time.After(3 * time.Second):
		_ = t.cmd.Process.Kill()
		err = <-exited
	}
	_ = t.ptmx.Close()
	<-t.done
	return err
}

// containsAll reports whether s holds every string in want.
func containsAll(s string, want []string) bool {
	for _, w := range want {
		if !strings.Contains(s, w) {
			return false
		}
	}
	return true
}
