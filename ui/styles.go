package ui

import (
	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/lipgloss"
)

// Styles holds every lipgloss style of the app, with a sub-struct per area.
// Colours are picked for the background detected before the program starts;
// with NO_COLOR lipgloss renders none of them, so nothing may depend on
// colour alone (focus is also marked with "›", errors with "✗").
type Styles struct {
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

// DefaultStyles returns the styles for a dark (true) or light background.
func DefaultStyles(dark bool) *Styles {
	p := palette(dark)
	accent := p.pick("#5A3FC0", "#A48CF5")
	subtle := p.pick("#6B6B6B", "#8A8A8A")
	text := p.pick("#1A1A1A", "#E6E6E6")
	errC := p.pick("#B00020", "#FF6B6B")
	warn := p.pick("#8A5A00", "#F2C14E")
	ok := p.pick("#1B7F3A", "#5FD38D")
	barBg := p.pick("#E4DDFB", "#2D2447")

	s := &Styles{}
	s.Header.Bar = lipgloss.NewStyle().Background(barBg).Foreground(text)
	s.Header.Brand = lipgloss.NewStyle().Background(barBg).Foreground(accent).Bold(true)
	s.Header.Info = lipgloss.NewStyle().Background(barBg).Foreground(text)
	s.Header.Right = lipgloss.NewStyle().Background(barBg).Foreground(accent).Bold(true)

	s.Title = lipgloss.NewStyle().Foreground(accent).Bold(true)
	s.Text = lipgloss.NewStyle().Foreground(text)
	s.Subtle = lipgloss.NewStyle().Foreground(subtle)
	s.Label = lipgloss.NewStyle().Foreground(subtle)
	s.Value = lipgloss.NewStyle().Foreground(text).Bold(true)
	s.Key = lipgloss.NewStyle().Foreground(accent).Bold(true)
	s.Error = lipgloss.NewStyle().Foreground(errC)
	s.Warning = lipgloss.NewStyle().Foreground(warn)
	s.Success = lipgloss.NewStyle().Foreground(ok).Bold(true)
	s.Spinner = lipgloss.NewStyle().Foreground(accent)
	s.TooSmall = lipgloss.NewStyle().Foreground(warn).Bold(true)

	s.Field.Label = lipgloss.NewStyle().Foreground(subtle)
	s.Field.Focused = lipgloss.NewStyle().Foreground(text)
	s.Field.Blurred = lipgloss.NewStyle().Foreground(subtle)
	s.Field.Marker = lipgloss.NewStyle().Foreground(accent).Bold(true)

	s.Button.Focused = lipgloss.NewStyle().Foreground(accent).Bold(true)
	s.Button.Blurred = lipgloss.NewStyle().Foreground(subtle)

	s.Tabs.Active = lipgloss.NewStyle().Foreground(accent).Bold(true).Underline(true)
	s.Tabs.Inactive = lipgloss.NewStyle().Foreground(subtle)
	s.Tabs.Separator = lipgloss.NewStyle().Foreground(subtle)

	s.Codes.Number = lipgloss.NewStyle().Foreground(subtle)
	s.Codes.Code = lipgloss.NewStyle().Foreground(text).Bold(true)

	s.Dialog = lipgloss.NewStyle().Border(lipgloss.RoundedBorder()).BorderForeground(warn).Padding(0, 1)

	s.Footer.Status = lipgloss.NewStyle().Foreground(accent)
	keyStyle := lipgloss.NewStyle().Foreground(p.pick("#5A5A5A", "#9A9A9A"))
	descStyle := lipgloss.NewStyle().Foreground(p.pick("#8A8A8A", "#6A6A6A"))
	sepStyle := lipgloss.NewStyle().Foreground(p.pick("#B0B0B0", "#4A4A4A"))
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
