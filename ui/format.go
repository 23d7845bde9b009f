package ui

import (
	"fmt"
	"sync/atomic"
	"time"

	tea "github.com/charmbracelet/bubbletea"
)

// Countdown formats a remaining duration as m:ss ("14:32", "0:07"),
// rounding up so a countdown never shows 0:00 while time is left.
func Countdown(d time.Duration) string {
	if d <= 0 {
		return "0:00"
	}
	secs := int((d + time.Second - 1) / time.Second)
	return fmt.Sprintf("%d:%02d", secs/60, secs%60)
}

// Plural returns "1 code" or "3 codes" for n and a singular noun.
func Plural(n int, noun string) string {
	if n == 1 {
		return fmt.Sprintf("%d %s", n, noun)
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

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
