package e2e

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/creack/pty"
	"github.com/hinshun/vt10x"
	"github.com/twofa/twofa/internal/runewriter"
)

// The size of the pseudo-terminal: the smallest the design promises to fit.
const (
	termCols = 80
	termRows = 24
)

// terminal runs a program in an 80x24 pseudo-terminal and keeps a vt10x
// screen of everything it draws. It answers the colour queries a real
// terminal answers, from its palette; vt10x itself answers the
// cursor-position query.
type terminal struct {
	t       *testing.T
	cmd     *exec.Cmd
	ptmx    *os.File
	pal     palette
	queries []colourQuery

	mu    sync.Mutex
	vt    vt10x.Terminal
	raw   bytes.Buffer       // every byte the program wrote
	vtIn  *runewriter.Writer // whole UTF-8 sequences into vt (vt10x drops a split one)
	carry []byte             // tail of the last read, for queries split across reads

	readDone chan struct{}
	exited   chan struct{}
	waitErr  error
}

// startTerminal starts bin with args and env in an 80x24 pseudo-terminal
// whose own colours are pal. It skips the test when no pseudo-terminal can
// be opened here. The process is killed, if still running, when the test ends.
func startTerminal(t *testing.T, bin string, pal palette, args, env []string) *terminal {
	t.Helper()
	probe, tty, err := pty.Open()
	if err != nil {
		t.Skipf("cannot open a pseudo-terminal here (%v): skipping the end-to-end test", err)
	}
	_ = tty.Close()
	_ = probe.Close()

	cmd := exec.Command(bin, args...)
	cmd.Env = env
	ptmx, err := pty.StartWithSize(cmd, &pty.Winsize{Cols: termCols, Rows: termRows})
	if err != nil {
		t.Fatalf("start %s in a pseudo-terminal: %v", bin, err)
	}
	term := &terminal{
		t:        t,
		cmd:      cmd,
		ptmx:     ptmx,
		pal:      pal,
		queries:  colourQueries(pal),
		vt:       vt10x.New(vt10x.WithSize(termCols, termRows), vt10x.WithWriter(ptmx)),
		readDone: make(chan struct{}),
		exited:   make(chan struct{}),
	}
	term.vtIn = runewriter.New(term.vt)
	go term.readLoop()
	go func() {
		term.waitErr = cmd.Wait()
		close(term.exited)
	}()
	t.Cleanup(func() {
		select {
		case <-term.exited:
		default:
			_ = cmd.Process.Kill()
			<-term.exited
		}
		_ = ptmx.Close()
		<-term.readDone
	})
	return term
}

// readLoop feeds the program's output to the emulator until the pty closes
// (EIO on Linux once the program and its children have exited).
func (term *terminal) readLoop() {
	defer close(term.readDone)
	buf := make([]byte, 32<<10)
	for {
		n, err := term.ptmx.Read(buf)
		if n > 0 {
			term.feed(buf[:n])
		}
		if err != nil {
			return
		}
	}
}

// colourQuery is an OSC query termenv sends to learn the terminal's
// colours (10 text, 11 background) and the answer xterm would give.
type colourQuery struct{ query, reply string }

func colourQueries(pal palette) []colourQuery {
	answer := func(osc int, c [3]uint8) colourQuery {
		return colourQuery{
			query: fmt.Sprintf("\x1b]%d;?", osc),
			reply: fmt.Sprintf("\x1b]%d;rgb:%02x%02x/%02x%02x/%02x%02x\x1b\\", osc, c[0], c[0], c[1], c[1], c[2], c[2]),
		}
	}
	return []colourQuery{answer(11, pal.bg), answer(10, pal.fg)}
}

// feed answers colour queries in data and writes it to the emulator. vt10x
// drops a UTF-8 sequence split across two writes, so an incomplete one at
// the end is held back until the next read completes it.
func (term *terminal) feed(data []byte) {
	scan := append(term.carry, data...)
	for _, q := range term.queries {
		from := 0
		for {
			i := bytes.Index(scan[from:], []byte(q.query))
			if i < 0 {
				break
			}
			end := from + i + len(q.query)
			if end > len(term.carry) { // not answered with the previous read
				_, _ = term.ptmx.WriteString(q.reply)
			}
			from = end
		}
	}
	const keep = 8
	if len(scan) > keep {
		scan = scan[len(scan)-keep:]
	}
	term.carry = append([]byte(nil), scan...)

	term.mu.Lock()
	defer term.mu.Unlock()
	term.raw.Write(data)
	_, _ = term.vtIn.Write(data)
}

// cells returns a copy of the screen's glyphs, indexed [row][column].
func (term *terminal) cells() [][]vt10x.Glyph {
	term.mu.Lock()
	defer term.mu.Unlock()
	term.vt.Lock()
	defer term.vt.Unlock()
	out := make([][]vt10x.Glyph, termRows)
	for y := range out {
		out[y] = make([]vt10x.Glyph, termCols)
		for x := range out[y] {
			out[y][x] = term.vt.Cell(x, y)
		}
	}
	return out
}

// screenText renders glyphs as text, one line per row, trailing blanks cut.
func screenText(cells [][]vt10x.Glyph) string {
	lines := make([]string, len(cells))
	for y, row := range cells {
		var b strings.Builder
		for _, g := range row {
			if g.Char == 0 {
				b.WriteRune(' ')
			} else {
				b.WriteRune(g.Char)
			}
		}
		lines[y] = strings.TrimRight(b.String(), " ")
	}
	return strings.Join(lines, "\n")
}

// QR decodes the QR code drawn on the screen; negative reports that it
// reads only as a negative image.
func (term *terminal) QR() (uri string, negative bool, err error) {
	return decodeScreenQR(term.cells(), term.pal)
}

// Screen returns the visible screen as text.
func (term *terminal) Screen() string { return screenText(term.cells()) }

// framed draws a screen inside a border with row numbers, for logs.
func framed(screen string) string {
	var b strings.Builder
	b.WriteString("    +" + strings.Repeat("-", termCols) + "+\n")
	for i, line := range strings.Split(screen, "\n") {
		pad := termCols - utf8.RuneCountInString(line)
		fmt.Fprintf(&b, "%3d |%s%s|\n", i+1, line, strings.Repeat(" ", max(0, pad)))
	}
	b.WriteString("    +" + strings.Repeat("-", termCols) + "+")
	return b.String()
}

// Dump logs the whole 80x24 screen.
func (term *terminal) Dump(why string) {
	term.t.Helper()
	term.t.Logf("%s — screen:\n%s", why, framed(term.Screen()))
}

// WaitUntil polls the screen until ok accepts it and returns that screen;
// on timeout, or when the program exits first, it fails the test with the
// screen in the log.
func (term *terminal) WaitUntil(what string, timeout time.Duration, ok func(screen string) bool) string {
	term.t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		screen := term.Screen()
		if ok(screen) {
			return screen
		}
		select {
		case <-term.exited:
			// Let the last output reach the screen before showing it.
			select {
			case <-term.readDone:
			case <-time.After(time.Second):
			}
			term.Dump("program exited")
			term.t.Fatalf("twofa exited (%v) while waiting for %s", term.waitErr, what)
		default:
		}
		if time.Now().After(deadline) {
			term.Dump("timed out")
			term.t.Fatalf("timed out after %s waiting for %s", timeout, what)
		}
		time.Sleep(15 * time.Millisecond)
	}
}

// WaitFor waits until every text is on screen and returns the screen.
func (term *terminal) WaitFor(timeout time.Duration, texts ...string) string {
	term.t.Helper()
	return term.WaitUntil(fmt.Sprintf("%q", texts), timeout, func(screen string) bool {
		for _, s := range texts {
			if !strings.Contains(screen, s) {
				return false
			}
		}
		return true
	})
}

// Send writes keystrokes to the program.
func (term *terminal) Send(keys string) {
	term.t.Helper()
	if _, err := io.WriteString(term.ptmx, keys); err != nil {
		term.t.Fatalf("write to the pseudo-terminal: %v", err)
	}
}

// Keys sent to the terminal.
const (
	keyEnter = "\r"
	keyTab   = "\t"
	keyEsc   = "\x1b"
	keyCtrlC = "\x03"
)

// WaitExit waits for the program to exit and for its last output to reach
// the screen, and returns its exit code.
func (term *terminal) WaitExit(timeout time.Duration) int {
	term.t.Helper()
	select {
	case <-term.exited:
	case <-time.After(timeout):
		term.Dump("still running")
		term.t.Fatalf("twofa did not exit within %s", timeout)
	}
	select {
	case <-term.readDone:
	case <-time.After(2 * time.Second):
		term.t.Fatalf("the pseudo-terminal did not close after twofa exited")
	}
	var exit *exec.ExitError
	if term.waitErr != nil && !errors.As(term.waitErr, &exit) {
		term.t.Fatalf("wait for twofa: %v", term.waitErr)
	}
	return term.cmd.ProcessState.ExitCode()
}

// Mode reports the emulator's modes (alternate screen, cursor hidden…).
func (term *terminal) Mode() (altScreen, cursorVisible bool) {
	term.mu.Lock()
	defer term.mu.Unlock()
	term.vt.Lock()
	defer term.vt.Unlock()
	return term.vt.Mode()&vt10x.ModeAltScreen != 0, term.vt.CursorVisible()
}

// Raw returns every byte the program wrote.
func (term *terminal) Raw() []byte {
	term.mu.Lock()
	defer term.mu.Unlock()
	return bytes.Clone(term.raw.Bytes())
}
