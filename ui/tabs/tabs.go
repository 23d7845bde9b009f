// Package tabs draws a row of tabs ("Profile │ Security") and moves between
// them with Tab/Shift+Tab or the arrow keys.
package tabs

import (
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/twofa/twofa/ui"
)

// KeyMap is the tabs' keys.
type KeyMap struct {
	Next key.Binding
	Prev key.Binding
}

// Model is a row of tabs with one active.
type Model struct {
	KeyMap KeyMap
	common ui.Common
	names  []string
	active int
}

// New returns tabs named names with the first active.
func New(c ui.Common, names ...string) Model {
	return Model{
		KeyMap: KeyMap{Next: c.KeyMap.NextTab, Prev: c.KeyMap.PrevTab},
		common: c,
		names:  names,
	}
}

// Active returns the index of the active tab.
func (m Model) Active() int { return m.active }

// SetActive makes tab i active.
func (m Model) SetActive(i int) Model {
	if i >= 0 && i < len(m.names) {
		m.active = i
	}
	return m
}

// Update moves between tabs.
func (m Model) Update(msg tea.Msg) (Model, tea.Cmd) {
	km, ok := msg.(tea.KeyMsg)
	if !ok || len(m.names) == 0 {
		return m, nil
	}
	switch {
	case key.Matches(km, m.KeyMap.Next):
		m.active = (m.active + 1) % len(m.names)
	case key.Matches(km, m.KeyMap.Prev):
		m.active = (m.active + len(m.names) - 1) % len(m.names)
	}
	return m, nil
}

// View draws the row; the active tab is bracketed so it shows without colour.
func (m Model) View() string {
	s := m.common.Styles.Tabs
	parts := make([]string, len(m.names))
	for i, n := range m.names {
		if i == m.active {
			parts[i] = s.Active.Render("[" + n + "]")
		} else {
			parts[i] = s.Inactive.Render(" " + n + " ")
		}
	}
	return strings.Join(parts, s.Separator.Render(" │ "))
}
