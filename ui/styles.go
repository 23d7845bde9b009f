package ui

import (
	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/lipgloss"
)

// Styles holds every lipgloss style of the app, with a sub-struct per area,
// all built from one program's renderer. Colours are picked for the
// background detected before the program starts; with NO_COLOR the renderer
// draws none of them, so nothing may depend on colour alone (focus is also
// marked with "›", errors with "✗").
type Styles struct {
	// Plain has no attributes: the start of a layout style (a width, a
	// padding) drawn by the same renderer.
	Plain  lipgloss.Style
	Header struct {
		Bar, Brand, Info, Right lipgloss.Style
	}
	Title    lipgloss.Style
	Text     lipgloss.Style
	Subtle   lipgloss.Style
	Label    lipgloss.Style
	Value    lipgloss.Style
	Key      lipgloss.Style
	Error    lipgloss.Style
	Warning  lipgloss.Style
	Success  lipgloss.Style
	Spinner  lipgloss.Style
	TooSmall lipgloss.Style
	Field    struct {
		Label, Focused, Blurred, Marker lipgloss.Style
		// Selected is text kept selected for retyping (a refused code).
		Selected lipgloss.Style
	}
	Button struct {
		Focused, Blurred lipgloss.Style
	}
	Tabs struct {
		Active, Inactive, Separator lipgloss.Style
	}
	Codes struct {
		Number, Code lipgloss.Style
	}
	Dialog lipgloss.Style
	Footer struct {
		Status lipgloss.Style
		Help   help.Styles
	}
}

// palette picks a colour for the detected background.
type palette bool

func (dark palette) pick(light, darkColor string) lipgloss.Color {
	if dark {
		return lipgloss.Color(darkColor)
	}
	return lipgloss.Color(light)
}

// DefaultStyles returns the styles r draws, for a dark (true) or light
// background. Every colour reads at 4.5:1 or more (WCAG 2 AA for text) on
// its background — the header bar's, or a terminal's of that theme
// (TestStyleContrast) — and the footer's keys are bold, so they stand out
// from their descriptions with 16 colours too.
func DefaultStyles(r *lipgloss.Renderer, dark bool) *Styles {
	p := palette(dark)
	accent := p.pick("#4A2FA8", "#A48CF5")
	subtle := p.pick("#6B6B6B", "#8A8A8A")
	text := p.pick("#1A1A1A", "#E6E6E6")
	errC := p.pick("#B00020", "#FF6B6B")
	warn := p.pick("#8A5A00", "#F2C14E")
	ok := p.pick("#176B31", "#5FD38D")
	barBg := p.pick("#E4DDFB", "#2D2447")

	s := &Styles{Plain: r.NewStyle()}
	s.Header.Bar = r.NewStyle().Background(barBg).Foreground(text)
	s.Header.Brand = r.NewStyle().Background(barBg).Foreground(accent).Bold(true)
	s.Header.Info = r.NewStyle().Background(barBg).Foreground(text)
	s.Header.Right = r.NewStyle().Background(barBg).Foreground(accent).Bold(true)

	s.Title = r.NewStyle().Foreground(accent).Bold(true)
	s.Text = r.NewStyle().Foreground(text)
	s.Subtle = r.NewStyle().Foreground(subtle)
	s.Label = r.NewStyle().Foreground(subtle)
	s.Value = r.NewStyle().Foreground(text).Bold(true)
	s.Key = r.NewStyle().Foreground(accent).Bold(true)
	s.Error = r.NewStyle().Foreground(errC)
	s.Warning = r.NewStyle().Foreground(warn)
	s.Success = r.NewStyle().Foreground(ok).Bold(true)
	s.Spinner = r.NewStyle().Foreground(accent)
	s.TooSmall = r.NewStyle().Foreground(warn).Bold(true)

	s.Field.Label = r.NewStyle().Foreground(subtle)
	s.Field.Focused = r.NewStyle().Foreground(text)
	s.Field.Blurred = r.NewStyle().Foreground(subtle)
	s.Field.Marker = r.NewStyle().Foreground(accent).Bold(true)
	s.Field.Selected = r.NewStyle().Reverse(true)

	s.Button.Focused = r.NewStyle().Foreground(accent).Bold(true)
	s.Button.Blurred = r.NewStyle().Foreground(subtle)

	s.Tabs.Active = r.NewStyle().Foreground(accent).Bold(true).Underline(true)
	s.Tabs.Inactive = r.NewStyle().Foreground(subtle)
	s.Tabs.Separator = r.NewStyle().Foreground(subtle)

	s.Codes.Number = r.NewStyle().Foreground(subtle)
	s.Codes.Code = r.NewStyle().Foreground(text).Bold(true)

	s.Dialog = r.NewStyle().Border(lipgloss.RoundedBorder()).BorderForeground(warn).Padding(0, 1)

	s.Footer.Status = r.NewStyle().Foreground(accent)
	keyStyle := r.NewStyle().Foreground(text).Bold(true)
	descStyle := r.NewStyle().Foreground(p.pick("#5F5F5F", "#9A9A9A"))
	sepStyle := descStyle
	s.Footer.Help = help.Styles{
		Ellipsis:       sepStyle,
		ShortKey:       keyStyle,
		ShortDesc:      descStyle,
		ShortSeparator: sepStyle,
		FullKey:        keyStyle,
		FullDesc:       descStyle,
		FullSeparator:  sepStyle,
	}
	return s
}
