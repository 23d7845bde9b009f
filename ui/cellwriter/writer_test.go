package cellwriter

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"sync"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/hinshun/vt10x"
)

// screenPair feeds one program's raw output to one terminal emulator and,
// through a Writer, to another, counting the bytes each gets.
type screenPair struct {
	mu       sync.Mutex
	raw, out vt10x.Terminal
	nRaw     int
	nOut     int
}

// side is one of the pair's screens as a writer: what reaches it is
// counted in n and drawn on vt.
type side struct {
	p  *screenPair
	vt vt10x.Terminal
	n  *int
}

func (s side) Write(b []byte) (int, error) {
	s.p.mu.Lock()
	defer s.p.mu.Unlock()
	*s.n += len(b)
	return s.vt.Write(b)
}

// tee writes to the raw screen and the Writer.
type tee struct {
	a, b io.Writer
}

func (t tee) Write(p []byte) (int, error) {
	_, _ = t.a.Write(p)
	return t.b.Write(p)
}

// lines is a model that draws the lines it is sent.
type lines []string

func (l lines) Init() tea.Cmd { return nil }
func (l lines) Update(m tea.Msg) (tea.Model, tea.Cmd) {
	if n, ok := m.(lines); ok {
		return n, nil
	}
	return l, nil
}
func (l lines) View() string { return strings.Join(l, "\n") }

// start runs a program drawing lines at w×h behind a Writer.
func start(t *testing.T, w, h int) (*tea.Program, *screenPair) {
	t.Helper()
	p := &screenPair{raw: vt10x.New(vt10x.WithSize(w, h)), out: vt10x.New(vt10x.WithSize(w, h))}
	cw := New(side{p, p.out, &p.nOut})
	opts := append(cw.Options(), tea.WithInput(bytes.NewReader(nil)), tea.WithAltScreen(), tea.WithoutSignals())
	opts[0] = tea.WithOutput(tee{side{p, p.raw, &p.nRaw}, cw})
	prog := tea.NewProgram(lines{""}, opts...)
	done := make(chan struct{})
	go func() { _, _ = prog.Run(); close(done) }()
	t.Cleanup(func() { prog.Quit(); <-done })
	prog.Send(tea.WindowSizeMsg{Width: w, Height: h})
	return prog, p
}

// cells is an emulator's screen, every cell with its colours and modes.
func cells(vt vt10x.Terminal) string {
	vt.Lock()
	defer vt.Unlock()
	var b strings.Builder
	cols, rows := vt.Size()
	for y := 0; y < rows; y++ {
		for x := 0; x < cols; x++ {
			g := vt.Cell(x, y)
			fmt.Fprintf(&b, "%c", g.Char)
			if g.FG != vt10x.DefaultFG || g.BG != vt10x.DefaultBG || g.Mode != 0 {
				fmt.Fprintf(&b, "{%d,%d,%d}", g.FG, g.BG, g.Mode)
			}
		}
		b.WriteByte('\n')
	}
	return b.String()
}

// waitSame waits until both screens show want and are the same cell for
// cell, and returns the bytes each side got so far.
func waitSame(t *testing.T, p *screenPair, want string) (raw, out int) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		p.mu.Lock()
		a, b := cells(p.raw), cells(p.out)
		raw, out = p.nRaw, p.nOut
		text := p.raw.String()
		p.mu.Unlock()
		if a == b && strings.Contains(text, want) {
			return raw, out
		}
		if time.Now().After(deadline) {
			t.Fatalf("screens differ or lack %q:\nBubble Tea's:\n%s\nthrough the Writer:\n%s", want, a, b)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// TestSameScreen: frames drawn through the Writer leave the terminal cell
// for cell as Bubble Tea's own output does — coloured text, wide
// graphemes, lines that shrink, grow or go, a resize — in fewer bytes.
func TestSameScreen(t *testing.T) {
	const bold = "\x1b[1;38;5;141m"
	steps := []struct {
		name  string
		view  lines
		check string
	}{
		{"first", lines{"Sign in", "", " Username  " + bold + "alice\x1b[0m     ", " Password  ›", "", "\x1b[48;5;236m bar with a background \x1b[0m"}, "bar with"},
		{"one cell", lines{"Sign in", "", " Username  " + bold + "alicf\x1b[0m     ", " Password  ›", "", "\x1b[48;5;236m bar with a background \x1b[0m"}, "alicf"},
		{"wide", lines{"Sign in", "José 山田 ok", " Username  " + bold + "alicf\x1b[0m", " Password  › •", "", "\x1b[48;5;236m bar with a background \x1b[0m"}, "山田"},
		{"wide moves", lines{"Sign in", "José x山田 ok", " Username  alicf", " Password  › ••", "", "\x1b[48;5;236m bar \x1b[0m"}, "x山田"},
		{"shorter", lines{"Sign in", "", "x"}, "Sign in"},
		{"tall", lines{"1", "2", "3", "4", "5", "6", "7", "8", "9", "the tenth line"}, "tenth"},
		{"resized", lines{"after the resize", "José 山田 ok", "\x1b[48;5;236m bar with a background that is cut \x1b[0m"}, "after"},
		{"one cell after", lines{"after the resizf", "José 山田 ok", "\x1b[48;5;236m bar with a background that is cut \x1b[0m"}, "resizf"},
		{"longer", lines{"a", "b", "c", "d", "e", "f", "g", "h", "i", "the tenth line is the last one here"}, "tenth"},
	}
	prog, p := start(t, 40, 10)
	for _, s := range steps {
		t.Run(s.name, func(t *testing.T) {
			p.mu.Lock()
			r0, o0 := p.nRaw, p.nOut
			p.mu.Unlock()
			if s.name == "resized" {
				p.mu.Lock()
				p.raw.Resize(30, 8)
				p.out.Resize(30, 8)
				p.mu.Unlock()
				prog.Send(tea.WindowSizeMsg{Width: 30, Height: 8})
			}
			prog.Send(s.view)
			r, o := waitSame(t, p, s.check)
			if s.name != "first" && s.name != "resized" && o-o0 > r-r0 { // those two are drawn whole
				t.Errorf("the Writer sent %d bytes, Bubble Tea %d", o-o0, r-r0)
			}
		})
	}
}
