package app

import (
	"os"
	"time"

	"github.com/charmbracelet/lipgloss"
	"github.com/spf13/pflag"
	"github.com/twofa/twofa/ui"
)

// askTimeout bounds the wait for the terminal's answer to the background
// question inside tmux or screen; tmux answers at once, from the pane.
const askTimeout = 500 * time.Millisecond

// ThemeFlag is --theme, of the commands that open the terminal UI here.
type ThemeFlag struct {
	Value string
}

// Register adds --theme to fs.
func (t *ThemeFlag) Register(fs *pflag.FlagSet) {
	fs.StringVar(&t.Value, "theme", "", "colours for a `auto|dark|light` terminal background (default: $TWOFA_THEME, else auto: asked of the terminal)")
}

// resolve is the theme asked for: --theme, else TWOFA_THEME, else auto; a
// value that names no theme is a usage error.
func (t *ThemeFlag) resolve(f *Factory) (ui.Theme, error) {
	v, from := t.Value, "--theme"
	if v == "" {
		v, from = f.Getenv("TWOFA_THEME"), "TWOFA_THEME"
	}
	theme, err := ui.ParseTheme(v)
	if err != nil {
		return "", &ExitError{Code: 2, Err: &flagError{from: from, err: err}}
	}
	return theme, nil
}

// flagError names the flag or variable a bad value came from.
type flagError struct {
	from string
	err  error
}

func (e *flagError) Error() string { return e.from + ": " + e.err.Error() }
func (e *flagError) Unwrap() error { return e.err }

// darkBackground decides the palette of the UI drawn through r on the
// factory's terminal: the theme when it is dark or light; inside tmux or
// screen, where termenv never asks, the terminal's own answer to OSC 11
// (asked here, before the program starts, so the answer is never read as
// keys); else termenv's detection (its question, or COLORFGBG).
func darkBackground(f *Factory, theme ui.Theme, r *lipgloss.Renderer) bool {
	if dark, forced := theme.Forced(); forced {
		return dark
	}
	in, okIn := f.IO.In.(*os.File)
	out, okOut := f.IO.Out.(*os.File)
	if okIn && okOut && ui.InMultiplexer(f.Getenv) {
		if dark, ok := askBackground(in, out, askTimeout); ok {
			return dark
		}
	}
	return r.HasDarkBackground()
}
