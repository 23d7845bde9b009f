package screens

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/twofa/twofa/client"
	"github.com/twofa/twofa/internal/wire"
	"github.com/twofa/twofa/ui"
	"github.com/twofa/twofa/ui/clipboard"
	"github.com/twofa/twofa/ui/qrview"
	"github.com/twofa/twofa/ui/textfield"
	"github.com/twofa/twofa/ui/words"
)

// Steps of the enable wizard; "Step N of 5" is always on screen.
const (
	stepPassword = 1
	stepQR       = 2
	stepVerify   = 3
	stepCodes    = 4
	stepDone     = 5
	stepCount    = 5
)

// enableScreen is the "Enable Two-Factor Authentication" wizard.
type enableScreen struct {
	common   ui.Common
	env      *Env
	cur      *current
	step     int
	password textfield.Model
	setup    *client.SetupResult
	issuer   string
	account  string
	qr       qrview.Model
	showKey  bool
	entry    codeEntry
	codes    backupCodesView
	busy     ui.Busy
	err      string // password step and setup; the code step's is in prompt
	note     string
}

func newEnable(c ui.Common, env *Env, cur *current) *enableScreen {
	return &enableScreen{
		common:   c,
		env:      env,
		cur:      cur,
		step:     stepPassword,
		password: textfield.New(c, "Password", true),
		entry:    newEnrolEntry(c),
		busy:     ui.NewBusy(c.Styles),
	}
}

// newEnrolEntry is the code entry of Verify & Enable: a wrong code also
// says to check the phone's clock.
func newEnrolEntry(c ui.Common) codeEntry {
	e := newCodeEntry(c, false)
	e.clockHint = true
	return e
}

func (s *enableScreen) Title() string {
	return fmt.Sprintf("Enable 2FA · Step %d of %d", s.step, stepCount)
}

// Leave drops the secret: the QR code's drawings, the setup and the codes.
func (s *enableScreen) Leave() {
	s.qr.Purge()
	s.qr, s.setup, s.codes = qrview.Model{}, nil, backupCodesView{}
}

func (s *enableScreen) Capturing() bool {
	return s.step == stepPassword || (s.step == stepCodes && s.codes.capturing())
}

// guardQuit asks before quitting while the backup codes are on show.
func (s *enableScreen) guardQuit() bool {
	if s.step != stepCodes {
		return false
	}
	var asked bool
	s.codes, asked = s.codes.guardQuit()
	return asked
}

// unsavedCodes says the codes on show were not saved, if so.
func (s *enableScreen) unsavedCodes() string {
	if s.step != stepCodes {
		return ""
	}
	return s.codes.unsaved()
}

func (s *enableScreen) SetSize(w, h int) {
	s.common.SetSize(w, h)
	s.password = s.password.SetWidth(min(40, w-14))
	s.qr = s.sizeQR(s.qr)
	if s.step == stepCodes {
		s.codes = s.codes.setSize(w, h)
	}
}

func (s *enableScreen) Init() tea.Cmd {
	cmds := []tea.Cmd{s.entry.startTicking()}
	if !s.env.Sessions.Client().SetupTakesPassword() {
		// A stock CoPilot asks for no password: skip step 1.
		s.step = stepQR
		tick := s.busy.Start("Starting setup…")
		cmds = append(cmds, tick, setupCmd(s.busy.Context(), s.env, s.cur.Session, ""))
	} else {
		var cmd tea.Cmd
		s.password, cmd = s.password.Focus()
		cmds = append(cmds, cmd)
	}
	return tea.Batch(cmds...)
}

func (s *enableScreen) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	now := s.common.Now()
	if k, ok := msg.(tea.KeyMsg); ok && s.busy.Active() && s.step != stepVerify && key.Matches(k, s.common.KeyMap.Back) {
		return s, s.cancelSetup()
	}
	if cmd, ok := s.entry.handle(msg, now, &s.busy); ok {
		return s, cmd
	}
	switch msg := msg.(type) {
	case setupDoneMsg:
		return s, s.setupDone(msg)
	case verifySetupDoneMsg:
		return s, s.verifyDone(msg, now)
	case clipboard.CopiedMsg:
		if s.step == stepQR {
			// This step has no Download .txt: the way out is the key itself.
			s.note = msg.StatusWith("type the key shown with k.")
			if msg.Hint != "" {
				// "In tmux, run: <command>": the command on a line of its
				// own, so the narrow column never breaks it.
				s.note += "\n" + strings.Replace(msg.Hint, ": ", ":\n", 1)
			}
			if msg.Err == nil && msg.Tmux && msg.Hint == "" {
				s.note += "\n" + words.TmuxSharedBuffer
			}
			return s, nil
		}
	case backupCodesDoneMsg:
		if msg.left {
			return s, send(backToSecurityMsg{notice: "Two-factor authentication is on, but you left without saving the backup codes. Regenerate them to get codes you can keep: press r."})
		}
		s.step = stepDone
		return s, nil
	case tea.KeyMsg:
		return s.key(msg, now)
	}
	if s.step != stepCodes {
		return s, nil
	}
	var cmd tea.Cmd
	s.codes, cmd = s.codes.update(msg)
	return s, cmd
}

// cancelSetup is Esc while setup is asked for: the request's context is
// cancelled; back to the password, or — where there is no password step —
// to Security, for nothing was enabled.
func (s *enableScreen) cancelSetup() tea.Cmd {
	s.busy.Stop()
	if s.step == stepQR {
		return send(backToSecurityMsg{notice: "Two-factor authentication was not enabled."})
	}
	s.err = words.Cancelled("enter")
	var cmd tea.Cmd
	s.password, cmd = s.password.Focus()
	return cmd
}

func (s *enableScreen) setupDone(msg setupDoneMsg) tea.Cmd {
	s.busy.Stop()
	if msg.err != nil {
		var api *client.APIError
		if errors.As(msg.err, &api) {
			switch api.Code {
			case wire.Unauthorized:
				return send(sessionEndedMsg{})
			case wire.PasswordRequired, wire.InvalidPassword:
				s.step = stepPassword
				s.err = "✗ " + s.common.Words.Error(msg.err)
				s.password = s.password.SetValue("")
				var cmd tea.Cmd
				s.password, cmd = s.password.Focus()
				return cmd
			}
		}
		s.err = "✗ " + s.common.Words.Error(msg.err)
		return nil
	}
	s.password = s.password.SetValue("").Blur()
	s.setup = msg.res
	s.issuer, s.account = msg.res.Issuer, msg.res.Account
	s.qr = s.sizeQR(qrview.New(msg.res.OTPAuthURL, s.common.Dark, s.common.Renderer.ColorProfile()))
	s.step, s.err = stepQR, ""
	return nil
}

func (s *enableScreen) verifyDone(msg verifySetupDoneMsg, now time.Time) tea.Cmd {
	s.entry.answered(&s.busy)
	if msg.err == nil {
		s.step, s.entry.err = stepCodes, ""
		intro := "Two-factor authentication is on. These backup codes let you sign in if you lose your phone. Each works once, and they will not be shown again."
		s.codes = newBackupCodesView(s.common, s.env, s.cur.User, intro, s.setup.BackupCodes, s.setup.BackupCodesAnyForm).setSize(s.common.Width, s.common.Height)
		return nil
	}
	return s.entry.fail(msg.err, now, s.env, false)
}

func (s *enableScreen) key(msg tea.KeyMsg, now time.Time) (tea.Model, tea.Cmd) {
	km := s.common.KeyMap
	switch s.step {
	case stepPassword:
		switch {
		case key.Matches(msg, km.Back):
			return s, send(backToSecurityMsg{notice: "Two-factor authentication was not enabled."})
		case key.Matches(msg, km.Submit):
			if s.password.Value() == "" {
				s.err = "Enter your account password."
				return s, nil
			}
			s.err = ""
			tick := s.busy.Start("Starting setup…")
			return s, tea.Batch(tick, setupCmd(s.busy.Context(), s.env, s.cur.Session, s.password.Value()))
		}
		var cmd tea.Cmd
		s.password, cmd = s.password.Update(msg)
		return s, cmd
	case stepQR:
		if s.setup == nil {
			if key.Matches(msg, km.Back) {
				return s, send(backToSecurityMsg{notice: "Two-factor authentication was not enabled."})
			}
			return s, nil
		}
		switch {
		case key.Matches(msg, km.Back):
			return s, send(backToSecurityMsg{notice: "Two-factor authentication was not enabled."})
		case key.Matches(msg, km.ManualKey):
			s.showKey = !s.showKey
		case key.Matches(msg, km.CopyKey):
			s.note = "Copying…"
			return s, s.common.Terminal.Copy(s.setup.Secret)
		case key.Matches(msg, km.CopyLink) && s.showKey:
			s.note = "Copying…"
			return s, s.common.Terminal.Copy(s.setup.OTPAuthURL)
		case key.Matches(msg, km.Invert) && !s.showKey:
			s.qr = s.qr.Invert()
		case key.Matches(msg, km.Submit):
			s.step, s.note = stepVerify, ""
			s.entry.input = s.entry.input.Reset().Focus()
		}
		return s, nil
	case stepVerify:
		switch {
		case key.Matches(msg, km.Back):
			s.step, s.entry.err = stepQR, ""
			return s, nil
		case key.Matches(msg, km.Submit):
			return s, s.entry.send(now, &s.busy, "Verifying…", func(ctx context.Context, code string, _ bool) tea.Cmd {
				return verifySetupCmd(ctx, s.env, s.cur.Session, code)
			})
		}
		s.entry.update(msg)
		return s, nil
	case stepCodes:
		var cmd tea.Cmd
		s.codes, cmd = s.codes.update(msg)
		return s, cmd
	case stepDone:
		if key.Matches(msg, km.Submit, km.Back) {
			return s, send(backToSecurityMsg{notice: "Two-factor authentication is on."})
		}
	}
	return s, nil
}

func (s *enableScreen) View() string {
	switch s.step {
	case stepPassword:
		return s.passwordView()
	case stepQR:
		if s.setup == nil {
			return s.waitView()
		}
		return s.qrStepView()
	case stepVerify:
		return s.verifyView()
	case stepCodes:
		return s.stepLine("Save your backup codes") + s.codes.view()
	default:
		return s.doneView()
	}
}

func (s *enableScreen) stepLine(title string) string {
	st := s.common.Styles
	return st.Title.Render(fmt.Sprintf("Step %d of %d · %s", s.step, stepCount, title)) + "\n\n"
}

func (s *enableScreen) waitView() string {
	st := s.common.Styles
	out := s.stepLine("Scan the QR code")
	if s.busy.Active() {
		return out + s.busy.View() + "\n"
	}
	return out + st.Error.Width(s.common.TextWidth()).Render(s.err) + "\n\n" + st.Subtle.Render("esc  back to Security") + "\n"
}

func (s *enableScreen) passwordView() string {
	st := s.common.Styles
	var b strings.Builder
	b.WriteString(s.stepLine("Confirm it's you"))
	b.WriteString(st.Text.Width(s.common.TextWidth()).Render("Enable Two-Factor Authentication: enter your password again to continue.") + "\n\n")
	b.WriteString(s.password.View() + "\n\n")
	switch {
	case s.busy.Active():
		b.WriteString(s.busy.View() + "\n")
	case s.err != "":
		b.WriteString(st.Error.Width(s.common.TextWidth()).Render(s.err) + "\n")
	}
	return b.String()
}

func (s *enableScreen) verifyView() string {
	st := s.common.Styles
	now := s.common.Now()
	w := s.common.TextWidth()
	var b strings.Builder
	b.WriteString(s.stepLine("Verify & Enable"))
	b.WriteString(st.Text.Width(w).Render("Enter the 6-digit code from your app") + "\n\n")
	b.WriteString(s.entry.input.View() + "\n\n")
	b.WriteString(s.entry.submitLine(st, now, "  ", "Verify & Enable"))
	b.WriteString(st.Key.Render("esc") + "    Back to the QR code\n\n")
	b.WriteString(s.entry.status(st, w, s.busy, now))
	if d := driftWarning(s.env.clock()); d != "" {
		b.WriteString(st.Warning.Width(w).Render(d) + "\n")
	}
	return b.String()
}

func (s *enableScreen) doneView() string {
	st := s.common.Styles
	w := s.common.TextWidth()
	var b strings.Builder
	b.WriteString(s.stepLine("Done"))
	b.WriteString(st.Success.Render("✓ Two-factor authentication is on.") + "\n\n")
	b.WriteString(st.Text.Width(w).Render("Next time you sign in, enter the code from your authenticator app after your password — or one of your backup codes if you don't have your phone.") + "\n\n")
	b.WriteString(st.Key.Render("enter") + "  Back to Security\n")
	return b.String()
}

func (s *enableScreen) ShortHelp() []key.Binding {
	km := s.common.KeyMap
	switch s.step {
	case stepPassword:
		return []key.Binding{ui.Relabel(km.Submit, "continue"), ui.Relabel(km.Back, "cancel"), km.Quit}
	case stepQR:
		if s.showKey {
			// The key view has no QR code to invert.
			return []key.Binding{ui.Relabel(km.Submit, "next"), ui.Relabel(km.ManualKey, "show QR code"), km.CopyKey, km.CopyLink, ui.Relabel(km.Back, "cancel"), km.QuitQ}
		}
		return []key.Binding{ui.Relabel(km.Submit, "next"), km.ManualKey, km.CopyKey, km.Invert, ui.Relabel(km.Back, "cancel"), km.QuitQ}
	case stepVerify:
		keys := s.entry.submitHelp(km.Submit, s.common.Now(), "verify & enable")
		return append(keys, ui.Relabel(km.Back, "back to QR"), km.Quit)
	case stepCodes:
		return s.codes.shortHelp()
	}
	return []key.Binding{ui.Relabel(km.Submit, "back to Security"), km.QuitQ}
}

// FullHelp lists the keys that apply now; "?" itself is not one of them.
func (s *enableScreen) FullHelp() [][]key.Binding {
	return [][]key.Binding{s.ShortHelp()}
}
