// Package codelist draws backup codes numbered, in two columns when they fit.
package codelist

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/lipgloss"
	"github.com/twofa/twofa/ui"
)

// Render draws codes numbered (" 1. UCAQU5CUV9"), exactly as given (see
// codes.Shown), in two columns when width allows.
func Render(s *ui.Styles, list []string, width int) string {
	cells := make([]string, len(list))
	for i, c := range list {
		cells[i] = s.Codes.Number.Render(fmt.Sprintf("%2d.", i+1)) + " " + s.Codes.Code.Render(c)
	}
	cellWidth := 0
	for _, c := range cells {
		cellWidth = max(cellWidth, lipgloss.Width(c))
	}
	const gap = 6
	if len(cells) < 4 || 2*cellWidth+gap > width {
		return strings.Join(cells, "\n")
	}
	half := (len(cells) + 1) / 2
	left := s.Plain.Width(cellWidth + gap).Render(strings.Join(cells[:half], "\n"))
	right := strings.Join(cells[half:], "\n")
	return lipgloss.JoinHorizontal(lipgloss.Top, left, right)
}
