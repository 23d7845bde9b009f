package app

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"
	"github.com/spf13/cobra"
	"github.com/twofa/twofa/screens"
	"github.com/twofa/twofa/ui/words"
	"golang.org/x/term"
)

// ErrNotTerminal is returned when the UI is started without a terminal.
var ErrNotTerminal = errors.New("the terminal UI needs a terminal, and stdin or stdout is not one; in scripts use `twofa status`")

// NewTUIRunE returns the root command's RunE: bare `twofa` opens the
// terminal UI against the server the client flags resolve to.
func NewTUIRunE(f *Factory, flags *ClientFlags) func(*cobra.Command, []string) error {
	return func(cmd *cobra.Command, args []string) error {
		if len(args) > 0 {
			return fmt.Errorf("unknown command %q for \"twofa\"; see `twofa --help`", args[0])
		}
		if err := requireTerminal(f); err != nil {
			return err
		}
		conn, say, err := flags.connect(f)
		if err != nil {
			return err
		}
		defer func() { _ = conn.Close() }()
		env := &screens.Env{Sessions: conn.Sessions}
		return runTUI(cmd.Context(), f, env, say)
	}
}

// requireTerminal refuses to start the UI when stdin or stdout is not a terminal.
func requireTerminal(f *Factory) error {
	in, ok1 := f.IO.In.(*os.File)
	out, ok2 := f.IO.Out.(*os.File)
	if !ok1 || !ok2 || !term.IsTerminal(int(in.Fd())) || !term.IsTerminal(int(out.Fd())) {
		return &ExitError{Code: 2, Err: ErrNotTerminal}
	}
	return nil
}

// runTUI runs the root model on the alternate screen until the user quits,
// ctx ends, or the terminal hangs up (SIGHUP: a closed window or a dropped
// SSH connection); in every case the terminal is restored and the caller's
// deferred clean-up runs.
func runTUI(ctx context.Context, f *Factory, env *screens.Env, say words.Words) error {
	if ctx == nil {
		ctx = context.Background()
	}
	ctx, stop := signal.NotifyContext(ctx, syscall.SIGHUP, syscall.SIGTERM)
	defer stop()
	// One renderer for this program, on its own output: every style of the
	// UI comes from it, none from lipgloss's global one.
	r := lipgloss.NewRenderer(f.IO.Out)
	if f.Getenv("NO_COLOR") != "" {
		r.SetColorProfile(termenv.Ascii)
	}
	dark := darkBackground(r, f.IO.Out)
	r.SetHasDarkBackground(dark)
	app := screens.New(env, screens.Options{Renderer: r, Dark: dark, Words: say})
	p := tea.NewProgram(app, tea.WithAltScreen(), tea.WithInput(f.IO.In), tea.WithOutput(f.IO.Out), tea.WithContext(ctx))
	final, err := p.Run()
	if a, ok := final.(*screens.App); ok {
		// Codes on show when a hang-up, a kill or a quit ended the UI are
		// lost: say so where the person will see it once the screen is gone.
		if note := a.UnsavedCodes(); note != "" {
			_, _ = fmt.Fprintln(f.IO.ErrOut, note)
		}
	}
	if err != nil && (ctx.Err() == nil || !errors.Is(err, tea.ErrProgramKilled)) {
		return fmt.Errorf("terminal UI: %w", err)
	}
	return nil
}

// darkBackground says whether the terminal behind out has a dark background.
// It asks before the UI starts, never beside it: the question reads the
// terminal and then restores its modes, which on a slow link would undo
// Bubble Tea's raw mode under a running UI; termenv bounds it (5 s) and
// skips it where it cannot ask (tmux, screen). The process's own terminal
// was already asked once, by Bubble Tea's init through lipgloss's default
// renderer: that answer is reused, for a second question's answer can come
// late and be read as typed keys.
func darkBackground(r *lipgloss.Renderer, out io.Writer) bool {
	if out == os.Stdout {
		return lipgloss.HasDarkBackground()
	}
	return r.HasDarkBackground()
}
