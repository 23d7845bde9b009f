// Package codeinput is the second-factor field: six digits from an
// authenticator app, or — after Tab — a backup code typed in any case with
// spaces or dashes.
package codeinput

import (
	"strings"
	"unicode"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/twofa/twofa/internal/codes"
	"github.com/twofa/twofa/ui"
	"github.com/twofa/twofa/ui/cellwriter"
)

// Mode is the kind of code the field takes.
type Mode int

const (
	// TOTP takes exactly six digits.
	TOTP Mode = iota
	// Backup takes a backup code: letters and digits, spaces and dashes ignored.
	Backup
)

// maxBackupRunes bounds what may be typed in backup mode.
const maxBackupRunes = 24

// KeyMap is the field's own keys.
type KeyMap struct {
	Switch    key.Binding
	Backspace key.Binding
	Clear     key.Binding
}

// DefaultKeyMap returns Tab to switch modes, Backspace and Ctrl+U to clear.
func DefaultKeyMap() KeyMap {
	return KeyMap{
		Switch:    key.NewBinding(key.WithKeys("tab"), key.WithHelp("tab", "use a backup code instead")),
		Backspace: key.NewBinding(key.WithKeys("backspace", "ctrl+h")),
		Clear:     key.NewBinding(key.WithKeys("ctrl+u", "ctrl+w")),
	}
}

// Model is the code field.
type Model struct {
	KeyMap      KeyMap
	common      ui.Common
	mode        Mode
	allowBackup bool
	focused     bool
	disabled    bool
	value       []rune
	// selected: the text is a refused code kept on show; the next
	// character typed replaces it, Backspace clears it.
	selected bool
}

// New returns a focused TOTP field; allowBackup enables Tab to switch to a
// backup code (the enable wizard and regenerate take only TOTP codes).
func New(c ui.Common, allowBackup bool) Model {
	m := Model{KeyMap: DefaultKeyMap(), common: c, allowBackup: allowBackup, focused: true}
	m.KeyMap.Switch.SetEnabled(allowBackup)
	return m
}

// Mode returns the kind of code the field takes now.
func (m Model) Mode() Mode { return m.mode }

// SetMode switches the field to mode and clears it.
func (m Model) SetMode(mode Mode) Model {
	if mode == Backup && !m.allowBackup {
		return m
	}
	m.mode = mode
	m.value, m.selected = nil, false
	m.KeyMap.Switch.SetHelp("tab", m.SwitchLabel())
	return m
}

// SwitchLabel is the wording of the Tab action in the current mode.
func (m Model) SwitchLabel() string {
	if m.mode == TOTP {
		return "Use a backup code instead"
	}
	return "Use authenticator code instead"
}

// Value returns the normalized code and whether it is complete and valid.
func (m Model) Value() (string, bool) {
	if m.mode == TOTP {
		return codes.NormalizeTOTP(string(m.value))
	}
	return codes.NormalizeBackup(string(m.value))
}

// Reset empties the field.
func (m Model) Reset() Model {
	m.value, m.selected = nil, false
	return m
}

// Select keeps the text typed on show, selected: a refused code stays
// visible, so its typo can be seen, and typing replaces it whole.
func (m Model) Select() Model {
	m.selected = len(m.value) > 0
	return m
}

// Selected reports whether the text on show is selected for retyping.
func (m Model) Selected() bool { return m.selected }

// Focus makes the field take keys.
func (m Model) Focus() Model {
	m.focused = true
	return m
}

// Blur stops the field taking keys.
func (m Model) Blur() Model {
	m.focused = false
	return m
}

// SetDisabled disables input (during a lockout or a request).
func (m Model) SetDisabled(v bool) Model {
	m.disabled = v
	return m
}

// Disabled reports whether input is disabled.
func (m Model) Disabled() bool { return m.disabled }

// Update takes typed and pasted characters, Backspace, Ctrl+U and Tab.
func (m Model) Update(msg tea.Msg) (Model, tea.Cmd) {
	km, ok := msg.(tea.KeyMsg)
	if !ok || !m.focused || m.disabled {
		return m, nil
	}
	switch {
	case key.Matches(km, m.KeyMap.Switch):
		if m.mode == TOTP {
			return m.SetMode(Backup), nil
		}
		return m.SetMode(TOTP), nil
	case m.selected && (key.Matches(km, m.KeyMap.Backspace) || key.Matches(km, m.KeyMap.Clear)):
		m.value, m.selected = nil, false
		return m, nil
	case key.Matches(km, m.KeyMap.Backspace):
		if len(m.value) > 0 {
			m.value = m.value[:len(m.value)-1]
		}
		return m, nil
	case key.Matches(km, m.KeyMap.Clear):
		m.value = nil
		return m, nil
	}
	if km.Type != tea.KeyRunes && km.Type != tea.KeySpace {
		return m, nil
	}
	if m.selected {
		m.value, m.selected = nil, false
	}
	for _, r := range km.Runes {
		m.value = m.accept(m.value, r)
	}
	return m, nil
}

// accept appends r to v when the mode allows it.
func (m Model) accept(v []rune, r rune) []rune {
	if m.mode == TOTP {
		if r >= '0' && r <= '9' && len(v) < codes.TOTPDigits {
			return append(v, r)
		}
		return v
	}
	if len(v) >= maxBackupRunes {
		return v
	}
	switch {
	case r < unicode.MaxASCII && (unicode.IsLetter(r) || unicode.IsDigit(r)):
		return append(v, unicode.ToUpper(r))
	case r == '-' || r == ' ':
		if len(v) > 0 {
			return append(v, '-')
		}
	}
	return v
}

// View draws the field: six slots for a TOTP code, the typed text for a
// backup code; "›" marks focus so it shows without colour too, and the
// terminal's cursor stands where the next character goes.
func (m Model) View() string {
	s := m.common.Styles
	active := m.focused && !m.disabled
	marker := "  "
	if active {
		marker = s.Field.Marker.Render("› ")
	}
	cursor := ""
	if active {
		cursor = cellwriter.CursorMark
	}
	var body string
	if m.mode == TOTP {
		slots := make([]string, codes.TOTPDigits)
		for i := range slots {
			slots[i] = "_"
			if i < len(m.value) {
				slots[i] = string(m.value[i])
			}
		}
		if n := len(m.value); n < len(slots) {
			slots[n] = cursor + slots[n]
		} else {
			slots[n-1] += " " + cursor
		}
		body = strings.Join(slots, " ")
	} else {
		body = string(m.value) + cursor
		if m.selected {
			body = cursor + s.Field.Selected.Render(string(m.value)) + s.Subtle.Render("  type to replace")
		}
		if len(m.value) == 0 {
			body += s.Subtle.Render("XXXXX-XXXXX")
		}
	}
	style := s.Field.Focused
	if !active {
		style = s.Field.Blurred
	}
	return s.Field.Label.Width(20).Render(m.Label()) + marker + style.Render(body)
}

// Label names the field for the current mode.
func (m Model) Label() string {
	if m.mode == TOTP {
		return "Authenticator code"
	}
	return "Backup code"
}
