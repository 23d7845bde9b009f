package screens

import (
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
)

// waiter is a screen that can be waiting for a request's answer; while it
// is, the app holds the keys typed (all but Esc, which cancels, and quit)
// and gives them to the screen, in order, once the answer is in.
type waiter interface {
	waiting() bool
}

func (s *loginScreen) waiting() bool       { return s.busy.Active() }
func (s *verifyScreen) waiting() bool      { return s.busy.Active() }
func (s *securityScreen) waiting() bool    { return s.busy.Active() }
func (s *enableScreen) waiting() bool      { return s.busy.Active() }
func (s *regenerateScreen) waiting() bool  { return s.busy.Active() }
func (s *disableScreen) waiting() bool     { return s.busy.Active() }
func (s *unreachableScreen) waiting() bool { return s.busy.Active() }

// screenWaiting reports whether the active screen waits for an answer.
func (a *App) screenWaiting() bool {
	w, ok := a.screen.(waiter)
	return ok && w.waiting()
}

// holdKey keeps msg for later when the screen is waiting for an answer;
// it reports whether it did. Esc goes through, to cancel.
func (a *App) holdKey(msg tea.KeyMsg) bool {
	if !a.screenWaiting() || key.Matches(msg, a.common.KeyMap.Back) {
		return false
	}
	a.held = append(a.held, msg)
	return true
}

// replayHeld gives the held keys to the screen once it no longer waits:
// each as if typed now, so one that starts a request holds the rest again.
// Keys typed for a screen the app has since left are dropped, for they
// were meant for it (a stray l or x must not act on another screen).
func (a *App) replayHeld(cmd tea.Cmd) tea.Cmd {
	if len(a.held) == 0 || a.screenWaiting() {
		return cmd
	}
	keys := a.held
	a.held = nil
	cmds := []tea.Cmd{cmd}
	for _, k := range keys {
		_, c := a.Update(k)
		cmds = append(cmds, c)
	}
	return tea.Batch(cmds...)
}
