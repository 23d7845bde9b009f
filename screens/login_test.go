package screens

import (
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
)

// TestLoginEmptyUsername: Enter on an empty Username stays there and says
// "Enter your username", so a password typed next is not shown in clear;
// with a username, Enter moves to the password, which is always masked.
func TestLoginEmptyUsername(t *testing.T) {
	c := testCommon(nil)
	c.SetSize(78, 22)
	s := newLogin(c, offlineEnv(t), "", "", false)
	s.Init()
	enter := tea.KeyMsg{Type: tea.KeyEnter}
	s.Update(enter)
	if s.focus != loginUser || !strings.Contains(s.View(), "Enter your username.") {
		t.Fatalf("Enter on an empty username: focus %d\n%s", s.focus, s.View())
	}
	for _, r := range "hunter2" {
		s.Update(keyRune(r))
	}
	if s.password.Value() != "" {
		t.Fatal("typing on Username went to the password")
	}
	s.Update(tea.KeyMsg{Type: tea.KeyCtrlU})
	s.username = s.username.SetValue("alice")
	s.Update(enter)
	if s.focus != loginPass || strings.Contains(s.View(), "Enter your username.") {
		t.Fatalf("Enter with a username: focus %d\n%s", s.focus, s.View())
	}
	for _, r := range "hunter2" {
		s.Update(keyRune(r))
	}
	if v := s.View(); strings.Contains(v, "hunter2") || !strings.Contains(v, "•••••••") {
		t.Errorf("the password shows in clear:\n%s", v)
	}
}
