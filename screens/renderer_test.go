package screens

import (
	"io"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"
	"github.com/twofa/twofa/client"
	"github.com/twofa/twofa/session"
)

// TestEachProgramItsOwnRenderer: two apps in one process, one for a
// terminal without colours and one for a true-colour terminal, as an SSH
// gateway would run them for two people. Each draws every screen in its own
// renderer's terms only: the first's frames hold no escape sequence while
// lipgloss's global renderer is set to true colour (TestMain), so no style
// comes from the global one; the second's frames are coloured.
func TestEachProgramItsOwnRenderer(t *testing.T) {
	plain := walkScreens(t, termenv.Ascii)
	colour := walkScreens(t, termenv.TrueColor)
	for i, v := range plain {
		if strings.Contains(v.frame, "\x1b[") {
			t.Errorf("%s: the colourless program drew an escape sequence:\n%q", v.name, v.frame)
		}
		if !strings.Contains(colour[i].frame, "\x1b[") {
			t.Errorf("%s: the true-colour program drew no colour", v.name)
		}
	}
}

type frame struct{ name, frame string }

// walkScreens drives one app on a renderer of profile through Sign in,
// Security, the help, and the wizard's password, QR and backup-codes steps,
// with no server: each result is the message a command would have brought.
func walkScreens(t *testing.T, profile termenv.Profile) []frame {
	t.Helper()
	r := lipgloss.NewRenderer(io.Discard)
	r.SetColorProfile(profile)
	r.SetHasDarkBackground(true)
	clock := newFakeClock()
	app := New(offlineEnv(t), Options{Renderer: r, Dark: true, Now: clock.Now})
	var frames []frame
	step := func(name string, msgs ...tea.Msg) {
		for _, m := range msgs {
			app.Update(m)
		}
		frames = append(frames, frame{name, app.View()})
	}
	step("sign in", tea.WindowSizeMsg{Width: 80, Height: 24})
	step("security", signedInMsg{session: session.Session{User: "alice", Token: "t"}},
		accountLoadedMsg{account: session.Account{Me: &client.Me{Username: "alice", Role: "user", TwoFactor: client.TwoFactorInfo{}}}})
	step("help", keyRune('?'))
	step("enable: password", keyRune('?'), openEnableMsg{})
	step("enable: QR", setupDoneMsg{res: &client.SetupResult{
		Secret:      qrTestSecret,
		Issuer:      "Example",
		Account:     "alice",
		OTPAuthURL:  "otpauth://totp/Example:alice?secret=" + qrTestSecret + "&issuer=Example",
		BackupCodes: []string{"ABCDE12345", "FGHJK67890", "MNPQR12345", "STVWX67890"},
	}})
	step("enable: codes", tea.KeyMsg{Type: tea.KeyEnter}, verifySetupDoneMsg{})
	step("too small", tea.WindowSizeMsg{Width: 30, Height: 8})
	return frames
}
