package ui

import (
	"sync/atomic"
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

var lastTag atomic.Int64

// NextTag returns a tag no other countdown in this process uses.
func NextTag() int { return int(lastTag.Add(1)) }
