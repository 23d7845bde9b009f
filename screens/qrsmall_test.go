package screens

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"
	"github.com/muesli/termenv"
	"github.com/twofa/twofa/client"
	"github.com/twofa/twofa/session"
	"github.com/twofa/twofa/ui"
	"github.com/twofa/twofa/ui/clipboard"
	"github.com/twofa/twofa/ui/qrview"
)

// qrTestSecret is a fixed TOTP secret, so the goldens hold no random text.
const qrTestSecret = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"

// appOnQRStep returns the app on the enable wizard's QR step for alice at
// w×h, with a fixed setup (no server).
func appOnQRStep(t *testing.T, w, h int) *App {
	t.Helper()
	clock := newFakeClock()
	app := New(offlineEnv(t), testOptions(clock.Now))
	app.cur.Session = session.Session{User: "alice", Token: "t"}
	app.Update(tea.WindowSizeMsg{Width: w, Height: h})
	s := newEnable(app.common, app.env, app.cur)
	app.show(s)
	app.Update(setupDoneMsg{res: &client.SetupResult{
		Secret:      qrTestSecret,
		Issuer:      "Example",
		Account:     "alice",
		OTPAuthURL:  "otpauth://totp/Example:alice?secret=" + qrTestSecret + "&issuer=Example&algorithm=SHA1&digits=6&period=30",
		BackupCodes: []string{"ABCDE-12345"},
	}})
	if s.step != stepQR {
		t.Fatalf("setup did not reach the QR step (step %d, err %q)", s.step, s.err)
	}
	return app
}

// TestQRStepBelowMinimum: below the app's minimum size the QR step is still
// drawn — the QR code's own "too small" note, then k for the key — instead
// of the app's "enlarge the terminal" screen.
func TestQRStepBelowMinimum(t *testing.T) {
	app := appOnQRStep(t, 40, 15)
	v := app.View()
	checkFits(t, v, 40, 15)
	if strings.Contains(v, "Enlarge it to at least") {
		t.Fatalf("40x15: the app's minimum-size note replaced the QR step:\n%s", v)
	}
	qrW, qrH := qrview.New("otpauth://totp/Example:alice?secret="+qrTestSecret+"&issuer=Example&algorithm=SHA1&digits=6&period=30", true, termenv.Ascii).Needed()
	flat := strings.Join(strings.Fields(v), " ")
	for _, want := range []string{"Step 2 of 5", "Terminal too small for the QR code", "press k for the manual entry key"} {
		if !strings.Contains(flat, want) {
			t.Errorf("40x15 QR step lacks %q:\n%s", want, v)
		}
	}
	if needs := fmt.Sprintf("(needs %d×%d)", qrW, qrH); !strings.Contains(flat, needs) {
		t.Errorf("40x15 QR step lacks %q:\n%s", needs, v)
	}
	t.Run("qr", func(t *testing.T) { golden.RequireEqual(t, []byte(v)) })

	app.Update(keyRune('k'))
	v = app.View()
	checkFits(t, v, 40, 15)
	for _, want := range []string{"Manual entry key", "JBSW Y3DP EHPK 3PXP", "Step 2 of 5"} {
		if !strings.Contains(v, want) {
			t.Errorf("40x15 manual key lacks %q:\n%s", want, v)
		}
	}
	t.Run("manual-key", func(t *testing.T) { golden.RequireEqual(t, []byte(v)) })

	// Smaller still than the QR step allows, and any other screen: the
	// app's note again.
	app.Update(tea.WindowSizeMsg{Width: qrStepMinWidth - 1, Height: 15})
	if v := app.View(); !strings.Contains(v, "Enlarge it to at least") {
		t.Errorf("%dx15: want the minimum-size note:\n%s", qrStepMinWidth-1, v)
	}
	app.Update(tea.WindowSizeMsg{Width: 40, Height: 15})
	app.Update(tea.KeyMsg{Type: tea.KeyEnter})
	if v := app.View(); !strings.Contains(v, "Enlarge it to at least") {
		t.Errorf("40x15 on step 3: want the minimum-size note:\n%s", v)
	}
}

// TestQRStepWideLayoutUnchanged: at the minimum size and above the QR step
// keeps the side-by-side layout.
func TestQRStepWideLayoutUnchanged(t *testing.T) {
	for _, sz := range [][2]int{{ui.MinWidth, ui.MinHeight}, {80, 24}} {
		app := appOnQRStep(t, sz[0], sz[1])
		v := app.View()
		checkFits(t, v, sz[0], sz[1])
		if !strings.Contains(v, "Scan this QR code") {
			t.Errorf("%dx%d: want the side column:\n%s", sz[0], sz[1], v)
		}
	}
}

func checkFits(t *testing.T, v string, w, h int) {
	t.Helper()
	lines := strings.Split(v, "\n")
	if len(lines) > h {
		t.Errorf("%dx%d: view has %d lines", w, h, len(lines))
	}
	for i, l := range lines {
		if n := ansi.StringWidth(l); n > w {
			t.Errorf("%dx%d: line %d is %d wide: %q", w, h, i, n, l)
		}
	}
}

// TestQRStepCopyStatus: the QR step has no Download .txt, so the copy note
// offers the manual entry key instead.
func TestQRStepCopyStatus(t *testing.T) {
	tests := []struct {
		name string
		msg  clipboard.CopiedMsg
		want string
	}{
		{"osc52", clipboard.CopiedMsg{Method: "OSC 52"}, "If nothing pastes, type the key shown with k."},
		{"tmux", clipboard.CopiedMsg{Method: "OSC 52 (tmux)", Hint: clipboard.TmuxHint}, "type the key shown with k. In tmux, run: tmux set -g set-clipboard on"},
		{"failed", clipboard.CopiedMsg{Err: errors.New("no terminal")}, "Could not copy: no terminal. Instead, type the key shown with k."},
		{"tool", clipboard.CopiedMsg{Method: "OSC 52 + xclip", Tool: "xclip"}, "Copied to the clipboard (xclip)."},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			app := appOnQRStep(t, 80, 24)
			app.Update(tc.msg)
			v := app.View()
			// The side column, read line by line right of the QR code.
			var side []string
			for _, l := range strings.Split(v, "\n") {
				if i := strings.LastIndexAny(l, "█▀▄"); i >= 0 {
					l = l[i:]
				}
				side = append(side, strings.Fields(strings.Trim(l, "█▀▄"))...)
			}
			if flat := strings.Join(side, " "); !strings.Contains(flat, tc.want) {
				t.Errorf("view lacks %q:\n%s", tc.want, v)
			}
			if strings.Contains(v, "Download") {
				t.Errorf("the QR step offers a Download it does not have:\n%s", v)
			}
		})
	}
}

// TestQRRendersPurgedWhenWizardEnds: the QR code's drawings (which hold
// the secret) live in the wizard's own QR view, and leaving the wizard —
// done, cancelled, or the session ended — empties them and drops the setup.
func TestQRRendersPurgedWhenWizardEnds(t *testing.T) {
	tests := []struct {
		name string
		// leave returns the message that takes the app off the wizard.
		leave func(t *testing.T, app *App) tea.Msg
	}{
		{"cancel", func(t *testing.T, app *App) tea.Msg {
			_, cmd := app.Update(tea.KeyMsg{Type: tea.KeyEscape})
			return runCmd(cmd)
		}},
		{"done", func(t *testing.T, app *App) tea.Msg {
			app.screen.(*enableScreen).step = stepDone
			_, cmd := app.Update(tea.KeyMsg{Type: tea.KeyEnter})
			return runCmd(cmd)
		}},
		{"session ended", func(t *testing.T, app *App) tea.Msg { return sessionEndedMsg{} }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			app := appOnQRStep(t, 80, 24)
			if v := app.View(); !strings.Contains(v, "█") {
				t.Fatalf("no QR code drawn:\n%s", v)
			}
			wizard := app.screen.(*enableScreen)
			qr := wizard.qr // a copy: it shares the view's drawings
			if qr.Cached() == 0 {
				t.Fatal("the QR drawing was not cached")
			}
			other := appOnQRStep(t, 80, 24) // another program, another person
			_ = other.View()
			msg := tc.leave(t, app)
			if msg == nil {
				t.Fatal("leaving the wizard sent no message")
			}
			app.Update(msg)
			if _, still := app.screen.(*enableScreen); still {
				t.Fatalf("still on the wizard after %#v", msg)
			}
			if n := qr.Cached(); n != 0 {
				t.Errorf("%d QR drawings still cached after leaving the wizard", n)
			}
			if wizard.setup != nil {
				t.Error("the wizard kept its setup (the secret) after it was left")
			}
			if other.screen.(*enableScreen).qr.Cached() == 0 {
				t.Error("leaving one program's wizard emptied another's")
			}
		})
	}
}
