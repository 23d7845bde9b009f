package app

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"
	"github.com/spf13/cobra"
	"github.com/twofa/twofa/screens"
	"github.com/twofa/twofa/ui"
	"github.com/twofa/twofa/ui/cellwriter"
	"github.com/twofa/twofa/ui/words"
	"golang.org/x/term"
)

// ErrNotTerminal is returned when the UI is started without a terminal.
var ErrNotTerminal = errors.New("the terminal UI needs a terminal, and stdin or stdout is not one; in scripts use `twofa status`")

// NewTUIRunE returns the root command's RunE: bare `twofa` opens the
// terminal UI against the server the client flags resolve to.
func NewTUIRunE(f *Factory, flags *ClientFlags, themeFlag *ThemeFlag) func(*cobra.Command, []string) error {
	return func(cmd *cobra.Command, args []string) error {
		if len(args) > 0 {
			return &ExitError{Code: 2, Err: fmt.Errorf("unknown command %q for \"twofa\"; see `twofa --help`", args[0])}
		}
		theme, err := themeFlag.resolve(f)
		if err != nil {
			return err
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
		return runTUI(cmd.Context(), f, env, say, theme)
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
// deferred clean-up runs. The palette follows theme (darkBackground).
func runTUI(ctx context.Context, f *Factory, env *screens.Env, say words.Words, theme ui.Theme) error {
	if ctx == nil {
		ctx = context.Background()
	}
	// SIGTERM is Bubble Tea's own (it quits the program); ending the context
	// on it too races that: the program's signal handler can then block
	// forever sending its quit to an event loop that is gone, and the
	// process never exits. SIGHUP, which Bubble Tea leaves alone, is ours.
	ctx, stop := signal.NotifyContext(ctx, syscall.SIGHUP)
	defer stop()
	// One renderer for this program, on its own output: every style of the
	// UI comes from it, none from lipgloss's global one.
	r := lipgloss.NewRenderer(f.IO.Out)
	if f.Getenv("NO_COLOR") != "" {
		r.SetColorProfile(termenv.Ascii)
	}
	dark := darkBackground(f, theme, r)
	r.SetHasDarkBackground(dark)
	app := screens.New(env, screens.Options{Renderer: r, Dark: dark, Words: say})
	// The frames reach the terminal through a writer that sends only the
	// cells they change and puts the cursor at the focused field.
	opts := append(cellwriter.New(f.IO.Out).Options(), tea.WithAltScreen(), tea.WithInput(f.IO.In), tea.WithContext(ctx))
	p := tea.NewProgram(app, opts...)
	final, err := p.Run()
	unsaved := false
	if a, ok := final.(*screens.App); ok {
		// Codes on show when a hang-up, a kill or a quit ended the UI are
		// lost: say so where the person will see it once the screen is gone,
		// and in the exit status, where a script or wrapper can tell.
		if note := a.UnsavedCodes(); note != "" {
			_, _ = fmt.Fprintln(f.IO.ErrOut, note)
			unsaved = true
		}
	}
	if err != nil && (ctx.Err() == nil || !errors.Is(err, tea.ErrProgramKilled)) {
		return fmt.Errorf("terminal UI: %w", err)
	}
	if unsaved {
		return &ExitError{Code: ExitCodesUnsaved}
	}
	return nil
}
