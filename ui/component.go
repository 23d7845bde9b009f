package ui

import (
	"github.com/charmbracelet/bubbles/help"
	tea "github.com/charmbracelet/bubbletea"
)

// Component is what the root model routes to: a Bubble Tea model that
// names its keys for the help footer and takes the space it is given.
type Component interface {
	tea.Model
	help.KeyMap
	SetSize(width, height int)
}
