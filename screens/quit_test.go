package screens

import (
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/twofa/twofa/client"
	"github.com/twofa/twofa/ui/words"
)

// codesApp is an App showing new backup codes: the enable wizard's step 4,
// or Regenerate's codes.
func codesApp(t *testing.T, regenerate bool) *App {
	t.Helper()
	clock := newFakeClock()
	a := New(offlineEnv(t), testOptions(clock.Now))
	a.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
	issued := []string{"ABCDE12345", "FGHJK67890"}
	if regenerate {
		s := newRegenerate(a.common, a.env, a.cur)
		s.done(regenerateDoneMsg{res: &client.RegenerateResult{BackupCodes: issued, BackupCodesAnyForm: true}}, clock.Now())
		a.screen = s
	} else {
		s := newEnable(a.common, a.env, a.cur)
		s.setup = &client.SetupResult{BackupCodes: issued, BackupCodesAnyForm: true}
		s.verifyDone(verifySetupDoneMsg{res: &client.Changed{}}, clock.Now())
		a.screen = s
	}
	a.screen.SetSize(a.bodySize())
	return a
}

func isQuit(cmd tea.Cmd) bool {
	_, ok := runCmd(cmd).(tea.QuitMsg)
	return ok
}

// TestQuitAsksOverCodes: Ctrl+C (and q) over new backup codes asks, like
// Esc; a second Ctrl+C or y quits, n stays; stderr's sentence is there
// until the codes were copied. Elsewhere Ctrl+C quits at once, and q where
// no field has focus.
func TestQuitAsksOverCodes(t *testing.T) {
	ctrlC := tea.KeyMsg{Type: tea.KeyCtrlC}
	tests := []struct {
		name     string
		keys     []tea.KeyMsg
		wantQuit bool
		wantView string
	}{
		{"ctrl+c asks", []tea.KeyMsg{ctrlC}, false, "Quit anyway?"},
		{"q asks", []tea.KeyMsg{keyRune('q')}, false, "Quit anyway?"},
		{"ctrl+c twice quits", []tea.KeyMsg{ctrlC, ctrlC}, true, ""},
		{"ctrl+c then y quits", []tea.KeyMsg{ctrlC, keyRune('y')}, true, ""},
		{"ctrl+c then n stays", []tea.KeyMsg{ctrlC, keyRune('n')}, false, "I've saved these codes"},
	}
	for _, regen := range []bool{false, true} {
		for _, tc := range tests {
			t.Run(map[bool]string{false: "enable/", true: "regenerate/"}[regen]+tc.name, func(t *testing.T) {
				a := codesApp(t, regen)
				var cmd tea.Cmd
				for _, k := range tc.keys {
					_, cmd = a.Update(k)
				}
				if got := isQuit(cmd); got != tc.wantQuit {
					t.Fatalf("quit = %v, want %v; screen:\n%s", got, tc.wantQuit, a.View())
				}
				if tc.wantView != "" && !strings.Contains(a.View(), tc.wantView) {
					t.Errorf("view lacks %q:\n%s", tc.wantView, a.View())
				}
				if a.UnsavedCodes() != words.CodesNotSaved {
					t.Errorf("UnsavedCodes = %q", a.UnsavedCodes())
				}
			})
		}
	}
}

func TestUnsavedCodesAfterCopy(t *testing.T) {
	a := codesApp(t, false)
	s := a.screen.(*enableScreen)
	s.codes.copied = true
	if got := a.UnsavedCodes(); got != "" {
		t.Errorf("after a copy UnsavedCodes = %q, want none", got)
	}
}

func TestQuitElsewhere(t *testing.T) {
	clock := newFakeClock()
	a := New(offlineEnv(t), testOptions(clock.Now))
	a.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
	a.Init()
	// Sign in: q is typed into the username.
	if _, cmd := a.Update(keyRune('q')); isQuit(cmd) {
		t.Fatal("q quit from the username field")
	}
	if v := a.screen.(*loginScreen).username.Value(); v != "q" {
		t.Errorf("username = %q, want q typed", v)
	}
	if _, cmd := a.Update(tea.KeyMsg{Type: tea.KeyCtrlC}); !isQuit(cmd) {
		t.Fatal("ctrl+c on Sign in did not quit")
	}
	// Security: no field, q quits.
	a.screen = newSecurity(a.common, a.env, a.cur, "", false)
	if _, cmd := a.Update(keyRune('q')); !isQuit(cmd) {
		t.Fatal("q on Security did not quit")
	}
	if a.UnsavedCodes() != "" {
		t.Errorf("UnsavedCodes on Security = %q", a.UnsavedCodes())
	}
}
