package codeinput

import (
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/twofa/twofa/ui"
)

func runes(s string) tea.KeyMsg { return tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(s)} }

func TestTyping(t *testing.T) {
	tab := tea.KeyMsg{Type: tea.KeyTab}
	bs := tea.KeyMsg{Type: tea.KeyBackspace}
	tests := []struct {
		name        string
		allowBackup bool
		keys        []tea.KeyMsg
		wantMode    Mode
		wantValue   string
		wantOK      bool
	}{
		{"six digits", true, []tea.KeyMsg{runes("123456")}, TOTP, "123456", true},
		{"letters dropped in TOTP", true, []tea.KeyMsg{runes("12a3b4-56")}, TOTP, "123456", true},
		{"no seventh digit", true, []tea.KeyMsg{runes("1234567")}, TOTP, "123456", true},
		{"five digits incomplete", true, []tea.KeyMsg{runes("12345")}, TOTP, "12345", false},
		{"backspace", true, []tea.KeyMsg{runes("123456"), bs}, TOTP, "12345", false},
		{"tab to backup, any case and separators", true, []tea.KeyMsg{tab, runes("abcde 12345")}, Backup, "ABCDE12345", true},
		{"backup with dash", true, []tea.KeyMsg{tab, runes("ABCDE-12345")}, Backup, "ABCDE12345", true},
		{"backup drops punctuation", true, []tea.KeyMsg{tab, runes("ab!cd?e1")}, Backup, "ABCDE1", true},
		{"tab twice back to TOTP, cleared", true, []tea.KeyMsg{tab, runes("abc"), tab}, TOTP, "", false},
		{"no backup where not allowed", false, []tea.KeyMsg{tab, runes("12ab34")}, TOTP, "1234", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m := New(ui.NewCommon(nil, true, nil), tc.allowBackup)
			for _, k := range tc.keys {
				m, _ = m.Update(k)
			}
			v, ok := m.Value()
			if m.Mode() != tc.wantMode || v != tc.wantValue || ok != tc.wantOK {
				t.Errorf("mode %v value %q ok %v; want %v %q %v", m.Mode(), v, ok, tc.wantMode, tc.wantValue, tc.wantOK)
			}
		})
	}
}

func TestDisabledTakesNothing(t *testing.T) {
	m := New(ui.NewCommon(nil, true, nil), true).SetDisabled(true)
	m, _ = m.Update(runes("123"))
	m, _ = m.Update(tea.KeyMsg{Type: tea.KeyTab})
	if v, _ := m.Value(); v != "" || m.Mode() != TOTP {
		t.Errorf("disabled field changed: %q mode %v", v, m.Mode())
	}
}
