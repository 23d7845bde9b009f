package clipboard

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/twofa/twofa/internal/safetext"
)

// Wording is what to tell the user after an OSC 52 copy: the terminal may
// ignore the request and nothing can tell, so it says so.
const Wording = "Sent to your terminal's clipboard (OSC 52). If nothing pastes, use Download .txt"

// TmuxHint is the extra line shown inside tmux, unless tmux already has
// that setting: it makes tmux accept OSC 52 from programs.
const TmuxHint = "In tmux, run: tmux set -g set-clipboard on"

// toolTimeout bounds a local clipboard tool that hangs (say, a dead X server).
const toolTimeout = 3 * time.Second

// CopiedMsg reports the outcome of Copy.
type CopiedMsg struct {
	// Method says what was done, for people: "OSC 52", "OSC 52 (tmux)",
	// "OSC 52 + xclip", ... Empty when nothing could be done.
	Method string
	// Hint is an extra line to show under Status, or empty.
	Hint string
	// Err is set only when nothing was sent at all.
	Err error
	// Tool is the local clipboard tool that took the text, or empty.
	Tool string
	// Tmux: the copy went through tmux, which — when it takes it (no Hint:
	// set-clipboard on) — keeps it in its paste buffer for everyone
	// attached to that tmux server.
	Tmux bool
}

// Status is the sentence to show: the honest OSC 52 wording, or a plain
// "Copied" when a local clipboard tool confirmed it took the text.
func (m CopiedMsg) Status() string {
	return m.StatusWith("use Download .txt")
}

// StatusWith is Status with another way out for when nothing pastes, for
// screens that have no Download .txt (e.g. "type the key shown above").
func (m CopiedMsg) StatusWith(otherwise string) string {
	switch {
	case m.Err != nil:
		return "Could not copy: " + m.Err.Error() + ". Instead, " + otherwise
	case m.Tool != "":
		return "Copied to the clipboard (" + m.Tool + ")."
	default:
		return "Sent to your terminal's clipboard (OSC 52). If nothing pastes, " + otherwise
	}
}

// Copy returns a command that sends text to the clipboard: OSC 52 written to
// the controlling terminal (/dev/tty, else stdout), in tmux's or screen's
// form when inside them, and also through wl-copy, xclip, xsel or pbcopy
// when there is a local display and one of them is installed.
func Copy(text string) tea.Cmd {
	return func() tea.Msg {
		return defaultEnv().copy(text)
	}
}

// env is everything Copy touches outside the process, so tests can swap it.
type env struct {
	getenv   func(string) string
	openTTY  func() (io.WriteCloser, error)
	stdout   io.Writer
	lookPath func(string) (string, error)
	runTool  func(ctx context.Context, path string, args []string, stdin string) error
	goos     string
	// tmuxOption reads a tmux server option (nil: treated as unknown).
	tmuxOption func(ctx context.Context, name string) (string, error)
	// remote: the terminal is on another machine; its multiplexer is
	// guessed from TERM (RemoteMux) and no local tool is tried.
	remote bool
}

func defaultEnv() env {
	return env{
		getenv:   os.Getenv,
		openTTY:  func() (io.WriteCloser, error) { return os.OpenFile("/dev/tty", os.O_WRONLY, 0) },
		stdout:   os.Stdout,
		lookPath: exec.LookPath,
		runTool:  runTool,
		goos:     runtime.GOOS,
		tmuxOption: func(ctx context.Context, name string) (string, error) {
			out, err := exec.CommandContext(ctx, "tmux", "show-options", "-sv", name).Output()
			return strings.TrimSpace(string(out)), err
		},
	}
}

// tmuxClipboardOn reports whether tmux is known to take OSC 52 from
// programs ("set-clipboard on"); then the hint is not needed.
func (e env) tmuxClipboardOn() bool {
	if e.tmuxOption == nil {
		return false
	}
	ctx, cancel := context.WithTimeout(context.Background(), toolTimeout)
	defer cancel()
	v, err := e.tmuxOption(ctx, "set-clipboard")
	return err == nil && v == "on"
}

// copy puts text on the clipboard, cleaned first (safetext.Text keeps its
// lines): what is pasted later, into a shell perhaps, carries no escape
// sequence or hidden character, whatever the text came from.
func (e env) copy(text string) CopiedMsg {
	text = safetext.Text(text)
	mux := DetectMux(e.getenv)
	if e.remote {
		mux = RemoteMux(e.getenv("TERM"))
	}
	var msg CopiedMsg

	oscErr := e.writeOSC(Sequence(text, mux))
	if oscErr == nil {
		msg.Method = "OSC 52"
		if mux != Plain {
			msg.Method += " (" + mux.String() + ")"
		}
		msg.Tmux = mux == Tmux || mux == TmuxOrScreen
		if msg.Tmux && !e.tmuxClipboardOn() {
			msg.Hint = TmuxHint
		}
	}

	if name, args, ok := e.tool(); ok {
		ctx, cancel := context.WithTimeout(context.Background(), toolTimeout)
		err := e.runTool(ctx, name, args, text)
		cancel()
		if err == nil {
			msg.Tool = name
			if msg.Method != "" {
				msg.Method += " + "
			}
			msg.Method += name
		}
	}

	if msg.Method == "" {
		msg.Err = fmt.Errorf("cannot write to the terminal: %w", oscErr)
	}
	return msg
}

// writeOSC writes seq in one write, so it does not interleave with a frame
// Bubble Tea is drawing at the same moment.
func (e env) writeOSC(seq []byte) error {
	if tty, err := e.openTTY(); err == nil {
		_, werr := tty.Write(seq)
		cerr := tty.Close()
		if werr == nil && cerr == nil {
			return nil
		}
	}
	if e.stdout == nil {
		return errors.New("no terminal")
	}
	_, err := e.stdout.Write(seq)
	return err
}

// tool picks a local clipboard tool, only when there is a display to copy
// to: Wayland, X11 (also forwarded over SSH), or a local macOS session.
func (e env) tool() (path string, args []string, ok bool) {
	type candidate struct {
		name string
		args []string
	}
	var cands []candidate
	if e.getenv("WAYLAND_DISPLAY") != "" {
		cands = append(cands, candidate{"wl-copy", nil})
	}
	if e.getenv("DISPLAY") != "" {
		cands = append(cands,
			candidate{"xclip", []string{"-selection", "clipboard"}},
			candidate{"xsel", []string{"--clipboard", "--input"}})
	}
	if e.goos == "darwin" && e.getenv("SSH_CONNECTION") == "" && e.getenv("SSH_TTY") == "" {
		cands = append(cands, candidate{"pbcopy", nil})
	}
	for _, c := range cands {
		if _, err := e.lookPath(c.name); err == nil {
			return c.name, c.args, true
		}
	}
	return "", nil, false
}

// runTool runs a clipboard tool with text on its standard input. Its output
// goes to /dev/null: xclip and wl-copy leave a child behind that serves the
// selection, and a pipe it holds open would make Wait hang.
func runTool(ctx context.Context, name string, args []string, stdin string) error {
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Stdin = strings.NewReader(stdin)
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	return nil
}
