package sshui

import (
	"strings"
	"testing"
	"time"

	"github.com/hinshun/vt10x"
	"github.com/twofa/twofa/internal/harness/vtterm"
)

// TestLateTerminalRepliesNotTyped: answers to the terminal queries that
// arrive while the UI runs — a slow link's answer to the background query
// after the front end stopped waiting for it — are not typed into the
// sign-in form, and keys around them are.
func TestLateTerminalRepliesNotTyped(t *testing.T) {
	f := startFront(t, nil)
	vt := openTerm(t, f.dial(), "xterm-256color")
	waitFor(t, vt, "Sign in", "Username")
	send(t, vt, "ca")
	waitFor(t, vt, "› ca")
	send(t, vt, "\x1b]11;rgb:ffff/ffff/ffff\x1b\\\x1b[?62;22c")
	send(t, vt, "rol")
	screen := waitFor(t, vt, "rol")
	if !strings.Contains(screen, "Username  › carol ") {
		t.Fatalf("a late terminal answer was typed:\n%s", screen)
	}
}

// TestSlowTerminal: a terminal that answers the background query only
// after the front end gave up waiting (1 s) still gets the UI.
func TestSlowTerminal(t *testing.T) {
	f := startFront(t, nil)
	vt := openTermWith(t, f.dial(), "xterm-256color", vtterm.Options{ReplyDelay: 1500 * time.Millisecond}, nil)
	waitFor(t, vt, "Sign in", "Username")
}

// TestEachTerminalItsOwnBackground: a light and a dark terminal at once
// each get the drawing for their own background — the sign-in button's
// colours differ — from one process.
func TestEachTerminalItsOwnBackground(t *testing.T) {
	f := startFront(t, nil)
	light := &vtterm.Palette{FG: [3]uint8{0, 0, 0}, BG: [3]uint8{255, 255, 255}}
	lvt := openTermWith(t, f.dial(), "xterm-256color", vtterm.Options{Palette: light}, nil)
	dvt := openTermWith(t, f.dial(), "xterm-256color", vtterm.Options{Palette: &vtterm.Dark}, nil)
	waitFor(t, lvt, "Sign in", "Username")
	waitFor(t, dvt, "Sign in", "Username")
	lc, dc := brandColour(t, lvt), brandColour(t, dvt)
	if lc == dc {
		t.Fatalf("light and dark terminals drew the header alike (%v): one renderer for both?", lc)
	}
}

// TestThemeInsideTmux: a person's terminal in tmux or screen (TERM
// tmux-256color, screen) is asked its background too — wish asks every
// session's terminal — and the client's TWOFA_THEME (ssh SendEnv)
// overrides the answer.
func TestThemeInsideTmux(t *testing.T) {
	light := &vtterm.Palette{FG: [3]uint8{0, 0, 0}, BG: [3]uint8{255, 255, 255}}
	f := startFront(t, nil)
	tests := []struct {
		name     string
		term     string
		pal      *vtterm.Palette
		env      map[string]string
		wantDark bool // drawn as the reference dark terminal is
	}{
		{"tmux, light pane", "tmux-256color", light, nil, false},
		{"screen, dark", "screen-256color", &vtterm.Dark, nil, true},
		{"light pane, TWOFA_THEME=dark", "tmux-256color", light, map[string]string{"TWOFA_THEME": "dark"}, true},
		{"dark pane, TWOFA_THEME=light", "tmux-256color", &vtterm.Dark, map[string]string{"TWOFA_THEME": "light"}, false},
	}
	ref := openTermWith(t, f.dial(), "tmux-256color", vtterm.Options{Palette: &vtterm.Dark}, nil)
	waitFor(t, ref, "Sign in", "Username")
	darkColour := brandColour(t, ref)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			vt := openTermWith(t, f.dial(), tt.term, vtterm.Options{Palette: tt.pal}, tt.env)
			waitFor(t, vt, "Sign in", "Username")
			if got := brandColour(t, vt); (got == darkColour) != tt.wantDark {
				t.Fatalf("header colour %v, dark palette's %v: want dark=%v", got, darkColour, tt.wantDark)
			}
		})
	}
}

// TestNoColorFromClient: a client that sends NO_COLOR gets a drawing
// without colours; the session beside it keeps its own.
func TestNoColorFromClient(t *testing.T) {
	f := startFront(t, nil)
	plain := openTermWith(t, f.dial(), "xterm-256color", vtterm.Options{}, map[string]string{"NO_COLOR": "1"})
	colour := openTerm(t, f.dial(), "xterm-256color")
	waitFor(t, plain, "Sign in", "Username")
	waitFor(t, colour, "Sign in", "Username")
	if c := brandColour(t, plain); c != [2]vt10x.Color{vt10x.DefaultFG, vt10x.DefaultBG} {
		t.Fatalf("NO_COLOR session drew the brand in %v", c)
	}
	if c := brandColour(t, colour); c == [2]vt10x.Color{vt10x.DefaultFG, vt10x.DefaultBG} {
		t.Fatal("the session without NO_COLOR drew no colour")
	}
}

// brandColour is the colour of the header's " twofa " brand.
func brandColour(t *testing.T, vt *vtterm.Term) [2]vt10x.Color {
	t.Helper()
	for _, g := range vt.Cells()[0][:4] {
		if g.Char == 't' { // of " twofa "
			return [2]vt10x.Color{g.FG, g.BG}
		}
	}
	t.Fatalf("no header brand at the top left:\n%s", vt.Screen())
	return [2]vt10x.Color{}
}
