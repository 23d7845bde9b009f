package clipboard

import (
	"errors"
	"io"

	tea "github.com/charmbracelet/bubbletea"
)

// Terminal is the terminal a program copies to: this process's own (the
// zero value: its controlling terminal, its environment, the local
// clipboard tools), or a person's terminal on another machine (Remote),
// reached only through that program's output.
type Terminal struct {
	out  io.Writer
	term string
}

// Remote is the terminal at the far end of a connection (an SSH session):
// OSC 52 is written to out, in the form its TERM suggests (RemoteMux), and
// nothing of this machine is used — no /dev/tty, no clipboard tool, no
// tmux server here. out must not interleave the sequence with a frame the
// program is drawing (give the program and Remote the same locked writer).
func Remote(out io.Writer, term string) Terminal { return Terminal{out: out, term: term} }

// IsRemote reports whether t is a terminal on another machine.
func (t Terminal) IsRemote() bool { return t.out != nil }

// Copy returns a command that sends text to t's clipboard.
func (t Terminal) Copy(text string) tea.Cmd {
	if !t.IsRemote() {
		return Copy(text)
	}
	e := env{
		getenv:   func(k string) string { return map[string]string{"TERM": t.term}[k] },
		openTTY:  func() (io.WriteCloser, error) { return nil, errors.New("a remote terminal has no tty here") },
		stdout:   t.out,
		lookPath: func(string) (string, error) { return "", errors.New("no clipboard tool for a remote terminal") },
		remote:   true,
	}
	return func() tea.Msg { return e.copy(text) }
}
