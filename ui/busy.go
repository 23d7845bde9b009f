package ui

import (
	"context"

	"github.com/charmbracelet/bubbles/spinner"
	tea "github.com/charmbracelet/bubbletea"
)

// Busy is the spinner a screen shows beside the action it is waiting for,
// and the context of that action's request: Stop (Esc, or the answer)
// cancels it. It ticks only while active, so an idle screen draws no frames.
type Busy struct {
	spinner spinner.Model
	active  bool
	label   string
	ctx     context.Context
	cancel  context.CancelFunc
}

// NewBusy returns an idle Busy drawn in the given styles.
func NewBusy(s *Styles) Busy {
	return Busy{spinner: spinner.New(spinner.WithSpinner(spinner.Dot), spinner.WithStyle(s.Spinner))}
}

// Start shows label with a spinner, begins a new request context (Context)
// and returns the command that ticks the spinner.
func (b *Busy) Start(label string) tea.Cmd {
	b.Stop()
	b.active = true
	b.label = label
	b.ctx, b.cancel = context.WithCancel(context.Background())
	return b.spinner.Tick
}

// Context is the context of the request Start began: the request's command
// runs under it, so Stop cancels a request still in flight.
func (b *Busy) Context() context.Context {
	if b.ctx == nil {
		return context.Background()
	}
	return b.ctx
}

// Stop hides the spinner and cancels the request's context; its pending
// tick is then dropped.
func (b *Busy) Stop() {
	b.active = false
	if b.cancel != nil {
		b.cancel()
		b.cancel = nil
	}
}

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
