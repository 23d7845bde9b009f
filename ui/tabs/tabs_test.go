package tabs

import (
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"
	"github.com/twofa/twofa/ui"
)

func TestMoving(t *testing.T) {
	lipgloss.SetColorProfile(termenv.Ascii)
	tests := []struct {
		keys []tea.KeyType
		want int
	}{
		{nil, 0},
		{[]tea.KeyType{tea.KeyTab}, 1},
		{[]tea.KeyType{tea.KeyTab, tea.KeyTab}, 0},
		{[]tea.KeyType{tea.KeyShiftTab}, 1},
		{[]tea.KeyType{tea.KeyRight, tea.KeyLeft}, 0},
	}
	for _, tc := range tests {
		m := New(ui.NewCommon(nil, true, nil), "Profile", "Security")
		for _, k := range tc.keys {
			m, _ = m.Update(tea.KeyMsg{Type: k})
		}
		if m.Active() != tc.want {
			t.Errorf("keys %v: active %d, want %d", tc.keys, m.Active(), tc.want)
		}
	}
	m := New(ui.NewCommon(nil, true, nil), "Profile", "Security").SetActive(1)
	if v := m.View(); !strings.Contains(v, "[Security]") || strings.Contains(v, "[Profile]") {
		t.Errorf("active tab not marked without colour: %q", v)
	}
}
