// Package vtterm runs a program in an 80x24 pseudo-terminal — or attaches
// to one running elsewhere, over an SSH session — and keeps a vt10x screen
// of what it draws, for the harnesses (bench, e2e, the SSH front end's
// tests) that drive the real twofa binary. It answers the queries a real
// terminal answers: the colour queries (OSC 10/11) from a Palette, the
// primary device attributes (DA1), and, through vt10x, the cursor-position
// query; and it keeps what programs copy to its clipboard (OSC 52).
package vtterm

import (
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/creack/pty"
	"github.com/hinshun/vt10x"
)

// maxRaw bounds the output Raw keeps.
const maxRaw = 64 << 20

// replies passes the emulator's answers to the program and keeps a copy.
type replies struct {
	mu  sync.Mutex
	w   io.Writer
	got []byte
}

// Write sends p to the program and records it.
func (r *replies) Write(p []byte) (int, error) {
	r.mu.Lock()
	r.got = append(r.got, p...)
	r.mu.Unlock()
	return r.w.Write(p)
}

func (r *replies) get() []byte {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]byte(nil), r.got...)
}

// Cols and Rows are the terminal size every program gets: the smallest the
// design promises to fit.
const (
	Cols = 80
	Rows = 24
)

// Options configures Start.
type Options struct {
	// Palette is answered to the colour queries; the zero value is read
	// as Dark.
	Palette *Palette
	// ReplyDelay answers the colour and device-attribute queries this much
	// later, as a terminal at the far end of a slow link does.
	ReplyDelay time.Duration
}

// Term is a program running in a pseudo-terminal, with the screen it drew.
type Term struct {
	cmd     *exec.Cmd // nil when attached
	ptmx    *os.File  // nil when attached
	io      io.ReadWriter
	end     func() error // closes the terminal side: the pty, or the stream
	queries []colourQuery
	delay   time.Duration
	start   time.Time

	mu       sync.Mutex
	vt       vt10x.Terminal
	vtIn     *runeWriter // whole UTF-8 sequences into vt (vt10x drops a split one)
	carry    []byte      // tail of the previous reads, for queries split across reads
	total    int         // bytes the program wrote
	raw      []byte      // the first maxRaw of them, as written
	replies  *replies    // what the emulator answered the program
	last     time.Time   // when the last output arrived
	answered int         // colour queries answered
	clip     clipboard   // what programs copied with OSC 52

	readDone chan struct{}
	exited   chan struct{}
	waitErr  error
}

// Start starts bin with args and env in an 80x24 pseudo-terminal. The start
// time is taken immediately before the fork.
func Start(bin string, args, env []string, opts Options) (*Term, error) {
	cmd := exec.Command(bin, args...)
	cmd.Env = env
	t := newTerm(cmd, opts)
	t.start = time.Now()
	ptmx, err := pty.StartWithSize(cmd, &pty.Winsize{Cols: Cols, Rows: Rows})
	if err != nil {
		return nil, fmt.Errorf("start %s in a pseudo-terminal: %w", bin, err)
	}
	t.ptmx, t.io, t.end = ptmx, ptmx, ptmx.Close
	t.run(cmd.Wait)
	return t, nil
}

// Stream is a program's terminal at the far end of a connection, such as
// an SSH session's: what it draws is read, what is typed is written.
type Stream interface {
	io.ReadWriter
	// Wait blocks until the program has ended and says how (nil, or an
	// error with an ExitStatus() int method for a non-zero exit).
	Wait() error
	// Close ends the connection.
	Close() error
}

// Attach keeps the screen of a program running at the far end of s (its
// terminal 80x24, as the caller asked of the far end) and answers its
// queries like a terminal does. Pid and SyscallConn are Start's only.
func Attach(s Stream, opts Options) *Term {
	t := newTerm(nil, opts)
	t.start = time.Now()
	t.io, t.end = s, s.Close
	t.run(s.Wait)
	return t
}

// newTerm is a Term for cmd (nil when attached), not yet running.
func newTerm(cmd *exec.Cmd, opts Options) *Term {
	pal := Dark
	if opts.Palette != nil {
		pal = *opts.Palette
	}
	return &Term{
		cmd:      cmd,
		queries:  append(colourQueries(pal), deviceAttributes),
		delay:    opts.ReplyDelay,
		readDone: make(chan struct{}),
		exited:   make(chan struct{}),
	}
}

// run starts the screen on t.io and waits for the program with wait.
func (t *Term) run(wait func() error) {
	t.last = t.start
	t.replies = &replies{w: t.io}
	t.vt = vt10x.New(vt10x.WithSize(Cols, Rows), vt10x.WithWriter(t.replies))
	t.vtIn = newRuneWriter(t.vt)
	go t.readLoop()
	go func() {
		t.waitErr = wait()
		close(t.exited)
	}()
}

// readLoop feeds the program's output to the screen until the pty closes:
// EOF, or EIO on Linux once the program and its children have exited.
func (t *Term) readLoop() {
	defer close(t.readDone)
	buf := make([]byte, 64<<10)
	for {
		n, err := t.io.Read(buf)
		if n > 0 {
			t.feed(time.Now(), buf[:n])
		}
		if err != nil {
			return
		}
	}
}

// feed answers the colour queries in data, then writes data to the screen;
// vt10x answers a cursor-position query after that, the order termenv expects.
func (t *Term) feed(at time.Time, data []byte) {
	tail, answered := answerQueries(t.queries, t.carry, data, t.reply)
	t.carry = tail
	t.mu.Lock()
	defer t.mu.Unlock()
	t.answered += answered
	t.clip.feed(data)
	t.total += len(data)
	if room := maxRaw - len(t.raw); room > 0 {
		t.raw = append(t.raw, data[:min(room, len(data))]...)
	}
	t.last = at
	_, _ = t.vtIn.Write(data)
}

// reply writes an answer to a query, after the reply delay when there is one.
func (t *Term) reply(answer []byte) {
	if t.delay <= 0 {
		_, _ = t.io.Write(answer)
		return
	}
	time.AfterFunc(t.delay, func() { _, _ = t.io.Write(answer) })
}

// Send writes s to the program's input as if typed.
func (t *Term) Send(s string) error {
	if _, err := io.WriteString(t.io, s); err != nil {
		return fmt.Errorf("write to the pseudo-terminal: %w", err)
	}
	return nil
}

// Screen returns the visible screen as text: Rows lines of Cols cells, each
// ending in a newline; cells never written read as spaces.
func (t *Term) Screen() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return strings.ReplaceAll(t.vt.String(), "\x00", " ")
}

// Cells returns a copy of the screen's glyphs, with their colours and
// attributes, indexed [row][column].
func (t *Term) Cells() [][]vt10x.Glyph {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.vt.Lock()
	defer t.vt.Unlock()
	return Glyphs(t.vt)
}

// Glyphs returns a copy of every glyph of vt's screen, indexed
// [row][column]; the caller holds vt's lock if others write to it.
func Glyphs(vt vt10x.View) [][]vt10x.Glyph {
	cols, rows := vt.Size()
	out := make([][]vt10x.Glyph, rows)
	for y := range out {
		out[y] = make([]vt10x.Glyph, cols)
		for x := range out[y] {
			out[y][x] = vt.Cell(x, y)
		}
	}
	return out
}

// Mode reports whether the alternate screen is on and the cursor visible.
func (t *Term) Mode() (altScreen, cursorVisible bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.vt.Lock()
	defer t.vt.Unlock()
	return t.vt.Mode()&vt10x.ModeAltScreen != 0, t.vt.CursorVisible()
}

// Bytes returns how many bytes the program has written so far.
func (t *Term) Bytes() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.total
}

// Raw returns a copy of the bytes the program wrote, as written (the first
// 64 MiB): what reached the terminal, escape sequences and all.
func (t *Term) Raw() []byte {
	t.mu.Lock()
	defer t.mu.Unlock()
	return append([]byte(nil), t.raw...)
}

// Title returns the window title the program set (OSC 0 or 2), "" if none.
func (t *Term) Title() string {
	t.vt.Lock()
	defer t.vt.Unlock()
	return t.vt.Title()
}

// Replies returns what the emulator itself typed back to the program: its
// answers to the cursor-position and status queries (ESC [6n, ESC [5n).
// The colour queries' answers (answerQueries) are not among them.
func (t *Term) Replies() []byte { return t.replies.get() }

// Started returns the time taken just before the program was forked.
func (t *Term) Started() time.Time { return t.start }

// LastOutput returns when the most recent output arrived, or the start
// time when there has been none.
func (t *Term) LastOutput() time.Time {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.last
}

// Answered returns how many colour and device-attribute queries the
// program made and got an answer to.
func (t *Term) Answered() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.answered
}

// Clipboard returns what programs last put on the terminal's clipboard
// with OSC 52, and how many times they wrote to it.
func (t *Term) Clipboard() (text string, writes int) {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.clip.text, t.clip.writes
}

// Pid returns the program's process id.
func (t *Term) Pid() int { return t.cmd.Process.Pid }

// SyscallConn gives access to the pty master's descriptor (to read the
// terminal's settings) without switching it to blocking mode as Fd would.
func (t *Term) SyscallConn() (syscall.RawConn, error) { return t.ptmx.SyscallConn() }

// Exited is closed once the program has exited.
func (t *Term) Exited() <-chan struct{} { return t.exited }

// Drained is closed once the pty has closed and all output is on screen.
func (t *Term) Drained() <-chan struct{} { return t.readDone }

// ExitCode returns the program's exit code, or an error when waiting for it
// failed for another reason than a non-zero exit. Call it after Exited.
func (t *Term) ExitCode() (int, error) {
	if t.cmd == nil {
		var status interface{ ExitStatus() int }
		switch {
		case t.waitErr == nil:
			return 0, nil
		case errors.As(t.waitErr, &status):
			return status.ExitStatus(), nil
		}
		return -1, fmt.Errorf("wait for the remote program: %w", t.waitErr)
	}
	var exit *exec.ExitError
	if t.waitErr != nil && !errors.As(t.waitErr, &exit) {
		return -1, fmt.Errorf("wait for %s: %w", t.cmd.Path, t.waitErr)
	}
	return t.cmd.ProcessState.ExitCode(), nil
}

// WaitErr returns what waiting for the program reported; call it after Exited.
func (t *Term) WaitErr() error { return t.waitErr }

// Close sends Ctrl+C, waits up to three seconds for the program to exit,
// kills it if it is still there, releases the pty and returns what waiting
// for the program reported.
func (t *Term) Close() error {
	_ = t.Send("\x03")
	select {
	case <-t.exited:
	case <-time.After(3 * time.Second):
		t.kill()
		<-t.exited
	}
	return t.release()
}

// kill ends the program: the process, or the connection to it.
func (t *Term) kill() {
	if t.cmd != nil {
		_ = t.cmd.Process.Kill()
		return
	}
	_ = t.end()
}

// Kill kills the program if it is still running, releases the pty and
// returns what waiting for the program reported.
func (t *Term) Kill() error {
	select {
	case <-t.exited:
	default:
		t.kill()
		<-t.exited
	}
	return t.release()
}

// release closes the pty master (or the stream) and waits for the read
// loop to end.
func (t *Term) release() error {
	_ = t.end()
	<-t.readDone
	return t.waitErr
}

// Available reports why no pseudo-terminal can be opened here, or nil when
// one can: callers skip rather than fail without one.
func Available() error {
	ptmx, tty, err := pty.Open()
	if err != nil {
		return fmt.Errorf("open a pseudo-terminal: %w", err)
	}
	_ = tty.Close()
	_ = ptmx.Close()
	return nil
}
