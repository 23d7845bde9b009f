package ui

import (
	"github.com/charmbracelet/bubbles/spinner"
	tea "github.com/charmbracelet/bubbletea"
)

// Busy is the spinner a screen shows beside the action it is waiting for.
// It ticks only while active, so an idle screen draws no frames.
type Busy struct {
	spinner spinner.Model
	active  bool
	label   string
}

// NewBusy returns an idle Busy drawn in the given styles.
func NewBusy(s *Styles) Busy {
	return Busy{spinner: spinner.New(spinner.WithSpinner(spinner.Dot), spinner.WithStyle(s.Spinner))}
}

// Start shows label with a spinner and returns the command that ticks it.
func (b *Busy) Start(label string) tea.Cmd {
	b.active = true
	b.label = label
	return b.spinner.Tick
}

// Stop hides the spinner; its pending tick is then dropped.
func (b *Busy) Stop() { b.active = false }

// Active reports whether a request is under way.
func (b Busy) Active() bool { return b.active }

// Update advances the spinner while active.
func (b Busy) Update(msg tea.Msg) (Busy, tea.Cmd) {
	if _, ok := msg.(spinner.TickMsg); !ok || !b.active {
		return b, nil
	}
	var cmd tea.Cmd
	b.spinner, cmd = b.spinner.Update(msg)
	return b, cmd
}

// View draws "⣾ label" while active and nothing otherwise.
func (b Busy) View() string {
	if !b.active {
		return ""
	}
	return b.spinner.View() + " " + b.label
}
