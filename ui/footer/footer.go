// Package footer is the bottom line of the app: a status message when there
// is one, otherwise the short key help (bubbles/help); "?" shows all keys.
package footer

import (
	"github.com/charmbracelet/bubbles/help"
	"github.com/twofa/twofa/ui"
)

// Model is the footer.
type Model struct {
	common ui.Common
	help   help.Model
	status string
}

// New returns a footer with no status.
func New(c ui.Common) Model {
	h := help.New()
	h.Styles = c.Styles.Footer.Help
	return Model{common: c, help: h}
}

// SetWidth sets the width the help is fitted into.
func (m Model) SetWidth(w int) Model {
	m.help.Width = w
	return m
}

// SetStatus shows text instead of the key help until it is cleared.
func (m Model) SetStatus(text string) Model {
	m.status = text
	return m
}

// Status returns the status text shown now, if any.
func (m Model) Status() string { return m.status }

// View draws the status line, or the short help of km fitted to the
// width (see fit: quit and the key list are the last keys left out).
func (m Model) View(km help.KeyMap) string {
	if m.status != "" {
		return m.common.Styles.Footer.Status.MaxWidth(m.help.Width).Render(m.status)
	}
	line := m.fit(km.ShortHelp(), m.help.Width)
	if m.help.Width > 0 {
		line = m.common.Styles.Plain.MaxWidth(m.help.Width).Render(line)
	}
	return line
}

// FullHelp draws every key of km in columns, for the "?" view.
func (m Model) FullHelp(km help.KeyMap) string {
	return m.help.FullHelpView(km.FullHelp())
}
