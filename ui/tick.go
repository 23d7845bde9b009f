package ui

import (
	"time"

	tea "github.com/charmbracelet/bubbletea"
)

// TickMsg is sent once a second to screens that show a countdown; Tag lets
// a screen drop ticks meant for an earlier countdown of its own.
type TickMsg struct {
	Tag int
}

// Tick returns a command that sends TickMsg{Tag: tag} after one second.
func Tick(tag int) tea.Cmd {
	return tea.Tick(time.Second, func(time.Time) tea.Msg { return TickMsg{Tag: tag} })
}

// tagSource hands out the tick tags of one program (Common.NextTag).
type tagSource struct{ last int }

func (s *tagSource) next() int {
	s.last++
	return s.last
}
