package screens

import (
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/twofa/twofa/ui"
	"github.com/twofa/twofa/ui/codeinput"
)

// disableScreen is "Disable 2FA": a warning first, then a 6-digit or backup
// code (Tab switches).
type disableScreen struct {
	common ui.Common
	env    *Env
	warned bool
	input  codeinput.Model
	busy   ui.Busy
	err    string
	lock   lockout
	tag    int
}

func newDisable(c ui.Common, env *Env) *disableScreen {
	return &disableScreen{common: c, env: env, input: codeinput.New(c, true), busy: ui.NewBusy(c.Styles), tag: ui.NextTag()}
}

func (s *disableScreen) Title() string    { return "Disable 2FA" }
func (s *disableScreen) Capturing() bool  { return s.warned && s.input.Mode() == codeinput.Backup }
func (s *disableScreen) SetSize(w, h int) { s.common.SetSize(w, h) }
func (s *disableScreen) Init() tea.Cmd    { return ui.Tick(s.tag) }

func (s *disableScreen) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	now := s.common.Now()
	km := s.common.KeyMap
	switch msg := msg.(type) {
	case ui.TickMsg:
		if msg.Tag != s.tag {
			return s, nil
		}
		if !s.lock.until.IsZero() && !s.lock.active(now) {
			s.lock = lockout{}
			s.input = s.input.SetDisabled(false)
			s.err = "You can try again now."
		}
		return s, ui.Tick(s.tag)
	case disableDoneMsg:
		return s, s.done(msg, now)
	case tea.KeyMsg:
		if s.busy.Active() {
			return s, nil
		}
		switch {
		case key.Matches(msg, km.Back):
			return s, send(backToSecurityMsg{notice: "Two-factor authentication is still on."})
		case key.Matches(msg, km.Submit):
			if !s.warned {
				s.warned = true
				return s, nil
			}
			return s, s.submit(now)
		}
		if s.warned {
			prev := s.input.Mode()
			s.input, _ = s.input.Update(msg)
			if s.input.Mode() != prev {
				s.err = ""
			}
		}
		return s, nil
	}
	var cmd tea.Cmd
	s.busy, cmd = s.busy.Update(msg)
	return s, cmd
}

func (s *disableScreen) submit(now time.Time) tea.Cmd {
	if s.lock.active(now) {
		return nil
	}
	code, ok := s.input.Value()
	backup := s.input.Mode() == codeinput.Backup
	if !ok {
		if backup {
			s.err = "Type one of your backup codes."
		} else {
			s.err = "Type the 6 digits your app shows."
		}
		return nil
	}
	s.err = ""
	s.input = s.input.SetDisabled(true)
	return tea.Batch(s.busy.Start("Disabling 2FA…"), disableCmd(s.env, code, backup))
}

func (s *disableScreen) done(msg disableDoneMsg, now time.Time) tea.Cmd {
	s.busy.Stop()
	s.input = s.input.SetDisabled(false).Reset()
	if msg.err == nil {
		return send(backToSecurityMsg{notice: "Two-factor authentication is off. Your secret and backup codes were deleted."})
	}
	out := explainCodeError(msg.err, now, s.env.Client.Clock(), s.input.Mode() == codeinput.Backup)
	switch {
	case out.ended:
		return send(sessionEndedMsg{})
	case out.lockFor > 0:
		s.lock = lockout{until: now.Add(out.lockFor)}
		s.input = s.input.SetDisabled(true)
		s.err = ""
	default:
		s.err = out.text
	}
	return nil
}

func (s *disableScreen) View() string {
	st := s.common.Styles
	w := s.common.Width
	now := s.common.Now()
	var b strings.Builder
	b.WriteString(st.Title.Render("Disable 2FA") + "\n\n")
	warning := "⚠ Disabling two-factor authentication deletes your authenticator secret and every backup code. Your account will be protected by your password alone. Enabling again starts over with a new QR code."
	b.WriteString(st.Warning.Width(w).Render(warning) + "\n\n")
	if !s.warned {
		b.WriteString(st.Key.Render("enter") + "  Continue\n")
		b.WriteString(st.Key.Render("esc") + "    Keep 2FA on\n")
		return b.String()
	}
	if s.input.Mode() == codeinput.TOTP {
		b.WriteString(st.Text.Width(w).Render("To confirm, enter the 6-digit code from your authenticator app.") + "\n\n")
	} else {
		b.WriteString(st.Text.Width(w).Render("To confirm, enter one of your backup codes.") + "\n\n")
	}
	b.WriteString(s.input.View() + "\n\n")
	b.WriteString(st.Key.Render("enter") + "  Disable 2FA\n")
	b.WriteString(st.Key.Render("tab") + "    " + s.input.SwitchLabel() + "\n")
	b.WriteString(st.Key.Render("esc") + "    Keep 2FA on\n\n")
	switch {
	case s.busy.Active():
		b.WriteString(s.busy.View() + "\n")
	case s.lock.active(now):
		b.WriteString(st.Error.Width(w).Render("✗ "+s.lock.text(now)) + "\n")
	case s.err != "":
		b.WriteString(st.Error.Width(w).Render(s.err) + "\n")
	}
	return b.String()
}

func (s *disableScreen) ShortHelp() []key.Binding {
	km := s.common.KeyMap
	back := km.Back
	back.SetHelp("esc", "keep 2FA on")
	submit := km.Submit
	if !s.warned {
		submit.SetHelp("enter", "continue")
		return []key.Binding{submit, back, km.Quit}
	}
	submit.SetHelp("enter", "disable 2FA")
	sw := s.input.KeyMap.Switch
	sw.SetHelp("tab", strings.ToLower(s.input.SwitchLabel()[:1])+s.input.SwitchLabel()[1:])
	return []key.Binding{submit, sw, back, km.Quit}
}

func (s *disableScreen) FullHelp() [][]key.Binding {
	return [][]key.Binding{s.ShortHelp(), {s.common.KeyMap.Help}}
}
