package screens

import (
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/twofa/twofa/ui"
	"github.com/twofa/twofa/ui/codeinput"
)

// pendingTTL is how long a pending (half signed-in) token lives.
const pendingTTL = 5 * time.Minute

// verifyScreen is "Two-Factor Authentication": the second factor of a
// sign-in, with the pending sign-in's time left and any lockout counting down.
type verifyScreen struct {
	common    ui.Common
	env       *Env
	username  string
	tempToken string
	expires   time.Time
	input     codeinput.Model
	busy      ui.Busy
	err       string
	lock      lockout
	tag       int
}

func newVerify(c ui.Common, env *Env, msg needSecondFactorMsg) *verifyScreen {
	return &verifyScreen{
		common:    c,
		env:       env,
		username:  msg.username,
		tempToken: msg.tempToken,
		expires:   msg.started.Add(pendingTTL),
		input:     codeinput.New(c, true),
		busy:      ui.NewBusy(c.Styles),
		tag:       ui.NextTag(),
	}
}

func (s *verifyScreen) Title() string   { return "Two-Factor Authentication" }
func (s *verifyScreen) Capturing() bool { return s.input.Mode() == codeinput.Backup }
func (s *verifyScreen) SetSize(w, h int) {
	s.common.SetSize(w, h)
}
func (s *verifyScreen) Init() tea.Cmd { return ui.Tick(s.tag) }

func (s *verifyScreen) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	now := s.common.Now()
	switch msg := msg.(type) {
	case ui.TickMsg:
		if msg.Tag != s.tag {
			return s, nil
		}
		if !now.Before(s.expires) {
			return s, send(backToLoginMsg{username: s.username, notice: "Your sign-in expired after 5 minutes — sign in again.", bad: true})
		}
		if !s.lock.until.IsZero() && !s.lock.active(now) {
			s.lock = lockout{}
			s.input = s.input.SetDisabled(false)
			s.err = "You can try again now."
		}
		return s, ui.Tick(s.tag)
	case validateDoneMsg:
		s.busy.Stop()
		s.input = s.input.SetDisabled(false)
		if msg.err == nil {
			return s, send(signedInMsg{username: s.username, token: msg.token, viaCode: msg.backup})
		}
		out := explainCodeError(msg.err, now, s.env.Client.Clock(), msg.backup)
		switch {
		case out.expired:
			return s, send(backToLoginMsg{username: s.username, notice: "Your sign-in expired — sign in again.", bad: true})
		case out.lockFor > 0:
			s.lock = lockout{until: now.Add(out.lockFor)}
			s.input = s.input.SetDisabled(true)
			s.err = ""
		default:
			s.err = out.text
		}
		s.input = s.input.Reset()
		return s, nil
	case tea.KeyMsg:
		if s.busy.Active() {
			return s, nil
		}
		km := s.common.KeyMap
		switch {
		case key.Matches(msg, km.Back):
			return s, send(backToLoginMsg{username: s.username, notice: "Sign-in cancelled."})
		case key.Matches(msg, km.Submit):
			return s, s.submit(now)
		}
		prev := s.input.Mode()
		s.input, _ = s.input.Update(msg)
		if s.input.Mode() != prev {
			s.err = ""
		}
		return s, nil
	}
	var cmd tea.Cmd
	s.busy, cmd = s.busy.Update(msg)
	return s, cmd
}

func (s *verifyScreen) submit(now time.Time) tea.Cmd {
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
	return tea.Batch(s.busy.Start("Checking the code…"), validateCmd(s.env, s.tempToken, code, backup))
}

func (s *verifyScreen) View() string {
	st := s.common.Styles
	now := s.common.Now()
	w := s.common.Width
	var b strings.Builder
	b.WriteString(st.Title.Render("Two-Factor Authentication") + "\n")
	b.WriteString(st.Subtle.Render("Signing in as "+s.username) + "\n\n")
	if s.input.Mode() == codeinput.TOTP {
		b.WriteString(st.Text.Width(w).Render("Enter the 6-digit code from your authenticator app.") + "\n\n")
	} else {
		b.WriteString(st.Text.Width(w).Render("Enter one of your backup codes. Case, spaces and dashes do not matter; each code works once.") + "\n\n")
	}
	b.WriteString(s.input.View() + "\n\n")
	b.WriteString(st.Key.Render("tab") + "  " + st.Text.Render(s.input.SwitchLabel()) + "\n")
	b.WriteString(st.Key.Render("esc") + "  " + st.Text.Render("Cancel sign-in") + "\n\n")
	switch {
	case s.busy.Active():
		b.WriteString(s.busy.View() + "\n")
	case s.lock.active(now):
		b.WriteString(st.Error.Width(w).Render("✗ "+s.lock.text(now)) + "\n")
	case s.err != "":
		b.WriteString(st.Error.Width(w).Render(s.err) + "\n")
	}
	if d := driftWarning(s.env.Client.Clock()); d != "" {
		b.WriteString(st.Warning.Width(w).Render(d) + "\n")
	}
	b.WriteString("\n" + st.Subtle.Render("This sign-in expires in "+ui.Countdown(s.expires.Sub(now))+".") + "\n")
	return b.String()
}

func (s *verifyScreen) ShortHelp() []key.Binding {
	km := s.common.KeyMap
	submit := km.Submit
	submit.SetHelp("enter", "verify")
	sw := s.input.KeyMap.Switch
	sw.SetHelp("tab", strings.ToLower(s.input.SwitchLabel()[:1])+s.input.SwitchLabel()[1:])
	back := km.Back
	back.SetHelp("esc", "cancel sign-in")
	return []key.Binding{submit, sw, back, km.Quit}
}

func (s *verifyScreen) FullHelp() [][]key.Binding {
	return [][]key.Binding{s.ShortHelp(), {s.common.KeyMap.Help}}
}
