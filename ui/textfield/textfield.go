// Package textfield is a labelled one-line text field (username, password,
// file path) on bubbles/textinput, with a visible focus marker.
package textfield

import (
	"github.com/charmbracelet/bubbles/cursor"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"
	"github.com/twofa/twofa/ui"
	"github.com/twofa/twofa/ui/cellwriter"
)

// Model is a labelled text field.
type Model struct {
	Label      string
	LabelWidth int
	// Elide: a value wider than the field, with the cursor at its end, is
	// shown with its middle cut ("/home/al…codes.txt"), so that both where
	// a path starts and its file name stay in view.
	Elide  bool
	common ui.Common
	input  textinput.Model
}

// New returns a blurred field; masked fields echo "•" for every character.
func New(c ui.Common, label string, masked bool) Model {
	in := textinput.New()
	in.Prompt = ""
	in.CharLimit = 256
	// The terminal's own cursor shows where typing goes (CursorMark in the
	// view); the input draws none, so no blink frames either.
	in.Cursor.SetMode(cursor.CursorHide)
	if masked {
		in.EchoMode = textinput.EchoPassword
		in.EchoCharacter = '•'
	}
	// Every style the input draws with comes from this program's renderer.
	in.PromptStyle = c.Styles.Plain
	in.TextStyle = c.Styles.Field.Focused
	in.PlaceholderStyle = c.Styles.Subtle
	in.CompletionStyle = c.Styles.Subtle
	in.Cursor.Style = c.Styles.Plain
	in.Cursor.TextStyle = c.Styles.Plain
	return Model{Label: label, LabelWidth: 10, common: c, input: in}
}

// SetWidth sets the width of the editable part.
func (m Model) SetWidth(w int) Model {
	if w < 8 {
		w = 8
	}
	m.input.Width = w
	return m
}

// SetValue replaces the text and moves the cursor to its end.
func (m Model) SetValue(v string) Model {
	m.input.SetValue(v)
	m.input.CursorEnd()
	return m
}

// SetPlaceholder sets the text shown while the field is empty.
func (m Model) SetPlaceholder(p string) Model {
	m.input.Placeholder = p
	return m
}

// Value returns the text.
func (m Model) Value() string { return m.input.Value() }

// Focused reports whether the field takes keys.
func (m Model) Focused() bool { return m.input.Focused() }

// Focus makes the field take keys.
func (m Model) Focus() (Model, tea.Cmd) {
	cmd := m.input.Focus()
	return m, cmd
}

// Blur stops the field taking keys.
func (m Model) Blur() Model {
	m.input.Blur()
	return m
}

// Update passes keys to the text input.
func (m Model) Update(msg tea.Msg) (Model, tea.Cmd) {
	var cmd tea.Cmd
	m.input, cmd = m.input.Update(msg)
	return m, cmd
}

// View draws "Label     › text", with the terminal's cursor in the text
// while the field has focus.
func (m Model) View() string {
	s := m.common.Styles
	if !m.input.Focused() {
		return s.Field.Label.Width(m.LabelWidth).Render(m.Label) + "  " + m.input.View()
	}
	in := m.input
	label := s.Field.Label.Width(m.LabelWidth).Render(m.Label) + s.Field.Marker.Render("› ")
	if v := in.Value(); m.Elide && in.Position() == len([]rune(v)) && ansi.StringWidth(v) >= in.Width {
		return label + in.TextStyle.Render(elide(v, in.Width)) + cellwriter.CursorMark + " "
	}
	lead := ""
	if in.Value() == "" && in.Placeholder != "" {
		lead = cellwriter.CursorMark // the placeholder is drawn without the cursor's style
	} else {
		in.Cursor.TextStyle = in.Cursor.TextStyle.Transform(markCursor)
	}
	return label + lead + in.View()
}

// elide shortens v to w cells by cutting its middle: a third of them from
// its start, the rest from its end.
func elide(v string, w int) string {
	head := w / 3
	tail := w - head - 1
	return ansi.Truncate(v, head, "") + "…" + ansi.TruncateLeft(v, ansi.StringWidth(v)-tail, "")
}

// markCursor puts the cursor mark before the cell under the cursor.
func markCursor(cell string) string { return cellwriter.CursorMark + cell }
