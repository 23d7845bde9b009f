package screens

import (
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"
	"github.com/twofa/twofa/session"
	"github.com/twofa/twofa/ui"
)

// TestProseKeepsReadableMeasure: on a wide terminal running text wraps at
// ui.ProseWidth, not at the window's edge.
func TestProseKeepsReadableMeasure(t *testing.T) {
	cur := &current{Session: session.Session{User: "alice", Token: "t"}}
	tests := []struct {
		name string
		view func(c ui.Common) string
	}{
		{"regenerate", func(c ui.Common) string { return newRegenerate(c, offlineEnv(t), cur).View() }},
		{"disable warning", func(c ui.Common) string { return newDisable(c, offlineEnv(t), cur).View() }},
		{"disable code", func(c ui.Common) string {
			s := newDisable(c, offlineEnv(t), cur)
			s.Update(tea.KeyMsg{Type: tea.KeyEnter})
			return s.View()
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := testCommon(newFakeClock().Now)
			c.SetSize(118, 38)
			v := tc.view(c)
			for _, line := range strings.Split(v, "\n") {
				if w := ansi.StringWidth(strings.TrimRight(ansi.Strip(line), " ")); w > ui.ProseWidth {
					t.Errorf("a line of %d cells (measure %d): %q", w, ui.ProseWidth, line)
				}
			}
			if !strings.Contains(v, "\n") {
				t.Fatalf("empty view: %q", v)
			}
		})
	}
}
