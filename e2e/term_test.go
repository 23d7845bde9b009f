package e2e

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/hinshun/vt10x"
	"github.com/twofa/twofa/internal/harness/vtterm"
)

// The size of the pseudo-terminal: the smallest the design promises to fit.
const (
	termCols = vtterm.Cols
	termRows = vtterm.Rows
)

// terminal is twofa running in an 80x24 pseudo-terminal (internal/harness/vtterm)
// whose own colours are pal, with waits that fail the test and show the
// screen.
type terminal struct {
	t   *testing.T
	vt  *vtterm.Term
	pal palette
}

// startTerminal starts bin with args and env in an 80x24 pseudo-terminal
// whose own colours are pal. It skips the test when no pseudo-terminal can
// be opened here. The process is killed, if still running, when the test ends.
func startTerminal(t *testing.T, bin string, pal palette, args, env []string) *terminal {
	t.Helper()
	if err := vtterm.Available(); err != nil {
		t.Skipf("cannot open a pseudo-terminal here (%v): skipping the end-to-end test", err)
	}

	vt, err := vtterm.Start(bin, args, env, vtterm.Options{Palette: &vtterm.Palette{FG: pal.fg, BG: pal.bg}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = vt.Kill() })
	return &terminal{t: t, vt: vt, pal: pal}
}

// cells returns a copy of the screen's glyphs, indexed [row][column].
func (term *terminal) cells() [][]vt10x.Glyph { return term.vt.Cells() }

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
	var screen string // as ok accepted it, trailing blanks cut
	_, err := term.vt.WaitUntil(timeout, func(string) bool {
		screen = term.Screen()
		return ok(screen)
	})
	switch {
	case errors.Is(err, vtterm.ErrExited):
		term.Dump("program exited")
		term.t.Fatalf("twofa exited (%v) while waiting for %s", term.vt.WaitErr(), what)
	case err != nil:
		term.Dump("timed out")
		term.t.Fatalf("timed out after %s waiting for %s", timeout, what)
	}
	return screen
}

// WaitFor waits until every text is on screen and returns the screen.
func (term *terminal) WaitFor(timeout time.Duration, texts ...string) string {
	term.t.Helper()
	return term.WaitUntil(fmt.Sprintf("%q", texts), timeout, func(screen string) bool {
		return vtterm.ContainsAll(screen, texts)
	})
}

// Send writes keystrokes to the program.
func (term *terminal) Send(keys string) {
	term.t.Helper()
	if err := term.vt.Send(keys); err != nil {
		term.t.Fatal(err)
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
	case <-term.vt.Exited():
	case <-time.After(timeout):
		term.Dump("still running")
		term.t.Fatalf("twofa did not exit within %s", timeout)
	}
	select {
	case <-term.vt.Drained():
	case <-time.After(2 * time.Second):
		term.t.Fatalf("the pseudo-terminal did not close after twofa exited")
	}
	code, err := term.vt.ExitCode()
	if err != nil {
		term.t.Fatal(err)
	}
	return code
}

// Mode reports the emulator's modes (alternate screen, cursor hidden…).
func (term *terminal) Mode() (altScreen, cursorVisible bool) { return term.vt.Mode() }
