package screens

import (
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"
	"github.com/twofa/twofa/session"
)

// TestLongNamesKeepColumns: a long issuer and account go whole under
// their labels beside the QR code, wrapped in the column, so no line runs
// past the terminal, and u copies the setup link that carries them; a long server name is cut
// on Profile rather than wrapped under the labels.
func TestLongNamesKeepColumns(t *testing.T) {
	app := appOnQRStep(t, 80, 24)
	s := app.screen.(*enableScreen)
	s.issuer = "Example Corporation International Holdings"
	s.account = "firstname.lastname@example.com"
	for _, view := range []string{app.View(), func() string { app.Update(keyRune('k')); return app.View() }()} {
		lines := strings.Split(view, "\n")
		if len(lines) != 24 {
			t.Errorf("%d lines, want 24", len(lines))
		}
		for i, l := range lines {
			if w := ansi.StringWidth(l); w > 80 {
				t.Errorf("line %d is %d wide: %q", i, w, l)
			}
		}
		if !strings.Contains(view, "Example Corporation") || !strings.Contains(view, "International Holdings") || !strings.Contains(view, "firstname.lastname@example.com") {
			t.Errorf("long names not shown whole in the side column:\n%s", view)
		}
	}
	if _, cmd := app.Update(keyRune('u')); cmd == nil || s.note != "Copying…" {
		t.Fatal("u does not copy the setup link in the key view")
	}

	sec := newSecurity(app.common, app.env, &current{Session: session.Session{User: strings.Repeat("a", 70), Token: "t"}}, "", false)
	sec.SetSize(58, 18)
	sec.tabs, _ = sec.tabs.Update(tea.KeyMsg{Type: tea.KeyShiftTab})
	for i, l := range strings.Split(sec.View(), "\n") {
		if w := ansi.StringWidth(l); w > 58 {
			t.Errorf("Profile line %d is %d wide: %q", i, w, l)
		}
	}
	if !strings.Contains(sec.View(), "…") {
		t.Errorf("the long username is not cut:\n%s", sec.View())
	}
}

// TestActionsThatDoNotApplySayWhy: r and x with 2FA off, e with it on,
// say why in the footer instead of doing nothing.
func TestActionsThatDoNotApplySayWhy(t *testing.T) {
	tests := []struct {
		on   bool
		key  rune
		want string
	}{
		{false, 'r', "no backup codes to regenerate. Press e to enable it."},
		{false, 'x', "already off"},
		{true, 'e', "already on"},
	}
	for _, tc := range tests {
		s := newSecurity(testCommon(nil), offlineEnv(t), &current{}, "", false)
		s.Update(accountLoadedMsg{account: session.Account{TwoFactorOn: tc.on}})
		_, cmd := s.Update(keyRune(tc.key))
		if got, ok := runCmd(cmd).(statusMsg); !ok || !strings.Contains(got.text, tc.want) {
			t.Errorf("%c with 2FA on=%v: got %#v, want a status with %q", tc.key, tc.on, runCmd(cmd), tc.want)
		}
	}
}
