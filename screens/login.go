package screens

import (
	"errors"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/twofa/twofa/client"
	"github.com/twofa/twofa/internal/wire"
	"github.com/twofa/twofa/ui"
	"github.com/twofa/twofa/ui/textfield"
	"github.com/twofa/twofa/ui/words"
)

// Focus positions on the sign-in screen.
const (
	loginUser = iota
	loginPass
	loginButton
	loginFields
)

// loginScreen is "Sign in": username, masked password, Enter submits.
type loginScreen struct {
	common   ui.Common
	env      *Env
	username textfield.Model
	password textfield.Model
	focus    int
	busy     ui.Busy
	err      string
	notice   string
	warning  string // e.g. a session the server could not revoke
	again    ui.Repeats
	// resuming is set while a stored session is being tried.
	resuming bool
}

func newLogin(c ui.Common, env *Env, username, notice string, bad bool) *loginScreen {
	s := &loginScreen{
		common:   c,
		env:      env,
		username: textfield.New(c, "Username", false).SetValue(username),
		password: textfield.New(c, "Password", true),
		busy:     ui.NewBusy(c.Styles),
	}
	if bad {
		s.err = notice
	} else {
		s.notice = notice
	}
	if username != "" {
		s.focus = loginPass
	}
	s.SetSize(c.Width, c.Height)
	return s
}

// newResuming is Sign in while the stored session of username is tried.
func newResuming(c ui.Common, env *Env, username string) (*loginScreen, tea.Cmd) {
	s := newLogin(c, env, username, "", false)
	s.resuming = true
	tick := s.busy.Start("Checking your saved session…")
	return s, tea.Batch(tick, resumeCmd(s.busy.Context(), env, username))
}

func (s *loginScreen) Title() string { return "Sign in" }

// Leave drops the password typed, if any.
func (s *loginScreen) Leave() { s.password = s.password.SetValue("") }

// Capturing is true: the username and password take any character.
func (s *loginScreen) Capturing() bool { return s.focus != loginButton }

func (s *loginScreen) SetSize(w, h int) {
	s.common.SetSize(w, h)
	fw := min(40, w-14)
	s.username = s.username.SetWidth(fw)
	s.password = s.password.SetWidth(fw)
}

func (s *loginScreen) Init() tea.Cmd { return s.refocus() }

func (s *loginScreen) refocus() tea.Cmd {
	s.username = s.username.Blur()
	s.password = s.password.Blur()
	var cmd tea.Cmd
	switch s.focus {
	case loginUser:
		s.username, cmd = s.username.Focus()
	case loginPass:
		s.password, cmd = s.password.Focus()
	}
	return cmd
}

func (s *loginScreen) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	km := s.common.KeyMap
	switch msg := msg.(type) {
	case loginDoneMsg:
		return s, s.loginDone(msg)
	case resumeDoneMsg:
		s.resuming = false
		s.busy.Stop()
		switch {
		case msg.ok:
			return s, send(resumedMsg(msg))
		case msg.ended:
			s.err = words.SavedSessionEnded
		case unreachable(msg.err):
			// The server is down, not the session: keep it and wait.
			return s, send(serverDownMsg{username: s.username.Value(), err: msg.err})
		case msg.err != nil:
			s.err = s.common.Words.Error(msg.err)
		}
		return s, s.refocus()
	case tea.KeyMsg:
		if s.busy.Active() {
			if key.Matches(msg, km.Back) {
				return s, s.cancel()
			}
			return s, nil
		}
		switch {
		case key.Matches(msg, km.Submit):
			if s.focus == loginUser && strings.TrimSpace(s.username.Value()) == "" {
				// Stay: a password typed next must not land here in clear.
				s.err = "Enter your username."
				return s, nil
			}
			if s.focus == loginUser && s.password.Value() == "" {
				s.err = ""
				s.focus = loginPass
				return s, s.refocus()
			}
			return s, s.submit()
		case msg.String() == "tab" || msg.String() == "down":
			s.focus = (s.focus + 1) % loginFields
			return s, s.refocus()
		case msg.String() == "shift+tab" || msg.String() == "up":
			s.focus = (s.focus + loginFields - 1) % loginFields
			return s, s.refocus()
		}
	}
	var cmds []tea.Cmd
	var cmd tea.Cmd
	s.busy, cmd = s.busy.Update(msg)
	cmds = append(cmds, cmd)
	switch s.focus {
	case loginUser:
		s.username, cmd = s.username.Update(msg)
	case loginPass:
		s.password, cmd = s.password.Update(msg)
	}
	cmds = append(cmds, cmd)
	return s, tea.Batch(cmds...)
}

// cancel is Esc while a request is in flight: its context is cancelled and
// Sign in takes keys again; a saved session being checked is kept.
func (s *loginScreen) cancel() tea.Cmd {
	s.busy.Stop()
	if s.resuming {
		s.resuming = false
		s.notice = "Stopped checking your saved session; it is kept for next time."
	} else {
		s.err = words.Cancelled("enter")
	}
	return s.refocus()
}

func (s *loginScreen) submit() tea.Cmd {
	user := strings.TrimSpace(s.username.Value())
	if user == "" || s.password.Value() == "" {
		s.err = "Enter your password."
		s.focus = loginPass
		if user == "" {
			s.err = "Enter your username."
			s.focus = loginUser
		}
		return s.refocus()
	}
	s.err, s.notice, s.warning = "", "", ""
	tick := s.busy.Start("Signing in…")
	return tea.Batch(tick, loginCmd(s.busy.Context(), s.env, user, s.password.Value()))
}

func (s *loginScreen) loginDone(msg loginDoneMsg) tea.Cmd {
	s.busy.Stop()
	if msg.err != nil {
		s.err = s.again.Say("✗ " + s.common.Words.Error(msg.err))
		var api *client.APIError
		if errors.As(msg.err, &api) && api.Code == wire.InvalidCredentials {
			s.password = s.password.SetValue("")
			s.focus = loginPass
		}
		return s.refocus()
	}
	s.password = s.password.SetValue("")
	if p := msg.res.Pending; p != nil {
		return send(needSecondFactorMsg{pending: *p, started: s.common.Now()})
	}
	return send(signedInMsg{session: msg.res.Session})
}

func (s *loginScreen) View() string {
	st := s.common.Styles
	var b strings.Builder
	b.WriteString(st.Title.Render("Sign in") + "\n")
	b.WriteString(st.Subtle.Render("to "+s.env.Server()) + "\n\n")
	b.WriteString(s.username.View() + "\n\n")
	b.WriteString(s.password.View() + "\n\n")
	button := "[ Sign in ]"
	if s.focus == loginButton {
		b.WriteString(strings.Repeat(" ", 10) + st.Field.Marker.Render("› ") + st.Button.Focused.Render(button) + "\n")
	} else {
		b.WriteString(strings.Repeat(" ", 12) + st.Button.Blurred.Render(button) + "\n")
	}
	b.WriteString("\n")
	switch {
	case s.busy.Active():
		b.WriteString(s.busy.View() + "\n")
	case s.err != "":
		b.WriteString(st.Error.Width(s.common.TextWidth()).Render(s.err) + "\n")
	case s.warning != "":
		b.WriteString(st.Warning.Width(s.common.TextWidth()).Render(s.warning) + "\n")
	case s.notice != "":
		b.WriteString(st.Success.Width(s.common.TextWidth()).Render(s.notice) + "\n")
	default:
		b.WriteString("\n") // the line stays, so the box below never moves
	}
	if d := s.env.Demo; d != nil {
		demo := st.Subtle.Render("Demo account") + "\n" +
			st.Label.Render("username  ") + st.Value.Render(d.Username) + "\n" +
			st.Label.Render("password  ") + st.Value.Render(d.Password)
		b.WriteString("\n" + st.Plain.Border(lipgloss.RoundedBorder()).BorderForeground(st.Subtle.GetForeground()).Padding(0, 1).Render(demo) + "\n")
	}
	return b.String()
}

func (s *loginScreen) ShortHelp() []key.Binding {
	km := s.common.KeyMap
	return []key.Binding{ui.Relabel(km.Submit, "sign in"), km.NextField, km.Quit}
}

func (s *loginScreen) FullHelp() [][]key.Binding {
	km := s.common.KeyMap
	return [][]key.Binding{s.ShortHelp(), {km.PrevField}}
}

// resumedMsg: the stored session still works; go to Security.
type resumedMsg resumeDoneMsg
