package screens

import (
	"github.com/charmbracelet/lipgloss"
	"github.com/twofa/twofa/ui"
)

// yesNoDialog draws a bordered warning over a line of the question, when
// there is one, and the y/n answers: as wide as its text, and wrapped to
// the running-text width when the text is wider.
func yesNoDialog(c ui.Common, warning, question string) string {
	st := c.Styles
	answers := st.Key.Render("y") + " yes  " + st.Key.Render("n") + " no"
	if question != "" {
		answers = question + "  " + answers
	}
	style := st.Dialog
	if limit := c.TextWidth() - 4; max(lipgloss.Width(warning), lipgloss.Width(answers)) > limit {
		style = style.Width(limit)
	}
	return style.Render(st.Warning.Render(warning) + "\n" + answers)
}
