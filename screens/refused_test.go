package screens

import (
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/twofa/twofa/client"
	"github.com/twofa/twofa/internal/wire"
)

// TestRefusedBackupCodeStaysSelected: a refused backup code stays in the
// field, selected, so its typo shows; the next character replaces it whole,
// Backspace clears it. A refused authenticator code is cleared.
func TestRefusedBackupCodeStaysSelected(t *testing.T) {
	refused := validateDoneMsg{backup: true, err: &client.APIError{Status: 401, Code: wire.InvalidCode, Detail: "Invalid backup code."}}
	tests := []struct {
		name string
		then tea.KeyMsg
		want string // the field's text afterwards
	}{
		{"typing replaces", keyRune('z'), "Z"},
		{"backspace clears", tea.KeyMsg{Type: tea.KeyBackspace}, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s, _ := offlineVerify(t)
			s.Update(tea.KeyMsg{Type: tea.KeyTab})
			for _, r := range "abcde-q2345" {
				s.Update(keyRune(r))
			}
			if _, cmd := s.Update(tea.KeyMsg{Type: tea.KeyEnter}); cmd == nil {
				t.Fatal("enter sent nothing")
			}
			s.Update(refused)
			v := s.View()
			if !strings.Contains(v, "ABCDE-Q2345  type to replace") || !strings.Contains(v, "That backup code was not accepted.") {
				t.Fatalf("the refused code is not kept on show, selected:\n%s", v)
			}
			s.Update(tc.then)
			if got := string(s.entry.input.View()); !strings.Contains(got, "Backup code") || s.entry.input.Selected() {
				t.Fatalf("still selected after %s: %s", tc.name, got)
			}
			if got, _ := s.entry.input.Value(); got != tc.want {
				t.Errorf("after %s the field holds %q, want %q", tc.name, got, tc.want)
			}
		})
	}
	// An authenticator code is cleared for the next one.
	s, _ := offlineVerify(t)
	for _, r := range "123456" {
		s.Update(keyRune(r))
	}
	s.Update(tea.KeyMsg{Type: tea.KeyEnter})
	s.Update(validateDoneMsg{err: &client.APIError{Status: 401, Code: wire.InvalidCode}})
	if got, _ := s.entry.input.Value(); got != "" {
		t.Errorf("a refused authenticator code stays: %q", got)
	}
}
