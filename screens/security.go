package screens

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
	"github.com/twofa/twofa/client"
	"github.com/twofa/twofa/internal/wire"
	"github.com/twofa/twofa/session"
	"github.com/twofa/twofa/ui"
	"github.com/twofa/twofa/ui/tabs"
	"github.com/twofa/twofa/ui/words"
)

// Tabs of the signed-in screen.
const (
	tabProfile = iota
	tabSecurity
	tabUsers // only for admins
)

// securityScreen is the signed-in home: Profile | Security tabs with the
// account's 2FA state and the actions that apply to it.
type securityScreen struct {
	common ui.Common
	env    *Env
	cur    *current
	tabs   tabs.Model
	busy   ui.Busy
	// account is nil until loaded; its Me is nil where the server has no /me.
	account     *session.Account
	err         string
	notice      string
	afterBackup bool
	// users is the Users tab, nil unless the account is an admin.
	users *usersPane
	// autoEnrol opens the enable wizard once when the account may only
	// enrol (a role that requires 2FA, past its grace).
	autoEnrol bool
	// requiredNote says the role requires 2FA, and until when (required.go).
	requiredNote string
	// askLogout: l was pressed; y logs out, n or esc stays.
	askLogout bool
}

func newSecurity(c ui.Common, env *Env, cur *current, notice string, afterBackup bool) *securityScreen {
	return &securityScreen{
		common:      c,
		env:         env,
		cur:         cur,
		tabs:        tabs.New(c, "Profile", "Security").SetActive(tabSecurity),
		busy:        ui.NewBusy(c.Styles),
		notice:      notice,
		afterBackup: afterBackup,
	}
}

func (s *securityScreen) Title() string {
	switch s.tabs.Active() {
	case tabProfile:
		return "Profile"
	case tabUsers:
		return "Users"
	}
	return "Security"
}

// Leave has nothing to drop.
func (s *securityScreen) Leave() {}

// Capturing is true while typing filters the Users tab.
func (s *securityScreen) Capturing() bool { return s.onUsers() && s.users.capturing() }

func (s *securityScreen) SetSize(w, h int) {
	s.common.SetSize(w, h)
	if s.users != nil {
		s.users.common.SetSize(w, h)
	}
}

// onUsers reports whether the Users tab is shown.
func (s *securityScreen) onUsers() bool { return s.users != nil && s.tabs.Active() == tabUsers }

func (s *securityScreen) Init() tea.Cmd {
	tick := s.busy.Start("Loading your account…")
	return tea.Batch(tick, loadAccountCmd(s.busy.Context(), s.env, s.cur.Session))
}

func (s *securityScreen) enabled() bool { return s.account != nil && s.account.TwoFactorOn }

// me is the server's description of the account, nil until loaded or
// where the server has no /me.
func (s *securityScreen) me() *client.Me {
	if s.account == nil {
		return nil
	}
	return s.account.Me
}

func (s *securityScreen) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	km := s.common.KeyMap
	switch msg := msg.(type) {
	case accountLoadedMsg:
		s.busy.Stop()
		if msg.err != nil {
			var api *client.APIError
			if errors.As(msg.err, &api) && api.Code == wire.Unauthorized {
				return s, send(sessionEndedMsg{})
			}
			s.err = "✗ " + s.common.Words.Error(msg.err) + " Press ctrl+r to try again."
			return s, nil
		}
		s.account, s.err = &msg.account, ""
		if s.afterBackup {
			s.notice = s.backupNotice()
		}
		if msg.account.Admin && s.users == nil {
			s.users = newUsersPane(s.common, s.env, s.cur)
			s.tabs = tabs.New(s.common, "Profile", "Security", "Users").SetActive(s.tabs.Active())
		}
		return s, s.required()
	case usersLoadedMsg, userEventsMsg, adminDoneMsg:
		return s.toUsers(msg)
	case tea.KeyMsg:
		if s.busy.Active() {
			if key.Matches(msg, km.Back) {
				s.busy.Stop()
				s.err = "✗ " + words.Cancelled("ctrl+r")
			}
			return s, nil
		}
		if s.onUsers() && !(key.Matches(msg, km.NextTab, km.PrevTab) && s.users.confirm == actionNone) {
			return s.toUsers(msg)
		}
		switch {
		case key.Matches(msg, km.Refresh):
			s.notice = ""
			return s, s.Init()
		case s.askLogout:
			s.askLogout = false
			if key.Matches(msg, km.Yes) {
				return s, send(logoutMsg{})
			}
			return s, nil
		case key.Matches(msg, km.Logout):
			s.askLogout = true
			return s, nil
		case key.Matches(msg, km.Enable) && s.account != nil && !s.enabled():
			return s, send(openEnableMsg{})
		case key.Matches(msg, km.Regenerate) && s.enabled():
			return s, send(openRegenerateMsg{})
		case key.Matches(msg, km.Disable) && s.enabled():
			return s, send(openDisableMsg{})
		case key.Matches(msg, km.Enable, km.Regenerate, km.Disable) && s.account != nil:
			return s, send(statusMsg{text: s.notNow(msg)})
		}
		s.tabs, _ = s.tabs.Update(msg)
		if s.onUsers() && !s.users.started {
			return s, s.users.Init()
		}
		return s, nil
	}
	var cmd tea.Cmd
	s.busy, cmd = s.busy.Update(msg)
	if s.users != nil {
		return s.batchUsers(msg, cmd)
	}
	return s, cmd
}

// toUsers hands msg to the Users tab; a session the server no longer
// takes goes back to Sign in.
func (s *securityScreen) toUsers(msg tea.Msg) (tea.Model, tea.Cmd) {
	if s.users == nil {
		return s, nil
	}
	cmd, ended := s.users.update(msg)
	if ended {
		return s, send(sessionEndedMsg{})
	}
	return s, cmd
}

// batchUsers gives the Users tab its spinner's ticks beside the screen's.
func (s *securityScreen) batchUsers(msg tea.Msg, cmd tea.Cmd) (tea.Model, tea.Cmd) {
	more, _ := s.users.update(msg)
	return s, tea.Batch(cmd, more)
}

// notNow says why an action key does nothing in the account's state.
func (s *securityScreen) notNow(msg tea.KeyMsg) string {
	km := s.common.KeyMap
	switch {
	case key.Matches(msg, km.Enable):
		return "2FA is already on."
	case key.Matches(msg, km.Regenerate):
		return "2FA is off: no backup codes to regenerate. Press e to enable it."
	}
	return "2FA is already off."
}

// backupNotice follows a sign-in with a backup code: how many are left (when
// the server says) and, when few are, the suggestion to regenerate.
func (s *securityScreen) backupNotice() string {
	if s.me() == nil {
		return words.BackupCodesLeft(-1)
	}
	return words.BackupCodesLeft(s.me().TwoFactor.BackupCodesRemaining)
}

func (s *securityScreen) View() string {
	st := s.common.Styles
	var b strings.Builder
	b.WriteString(s.tabs.View() + "\n\n")
	if s.busy.Active() {
		b.WriteString(s.busy.View() + "\n")
		return b.String()
	}
	if s.err != "" {
		b.WriteString(st.Error.Width(s.common.TextWidth()).Render(s.err) + "\n")
		return b.String()
	}
	switch s.tabs.Active() {
	case tabProfile:
		b.WriteString(s.profileView())
	case tabUsers:
		return b.String() + s.users.view(s.common.Height-2)
	default:
		b.WriteString(s.securityView())
	}
	if s.askLogout {
		b.WriteString("\n" + s.logoutDialog() + "\n")
	} else if s.notice != "" {
		style := st.Success
		if me := s.me(); s.afterBackup && me != nil && words.FewLeft(me.TwoFactor.BackupCodesRemaining) {
			style = st.Warning
		}
		b.WriteString("\n" + style.Width(s.common.TextWidth()).Render(s.notice) + "\n")
	}
	return b.String()
}

// row draws "label      value" with the labels in one column; a value too
// long for the row is cut with an ellipsis, never wrapped under the labels.
func (s *securityScreen) row(label, value string) string {
	st := s.common.Styles
	if w := s.common.Width - 28; w > 1 {
		value = ansi.Truncate(value, w, "…")
	}
	return st.Label.Width(28).Render(label) + st.Value.Render(value) + "\n"
}

// hangRow draws "label      value" in style, a value too long for the row
// wrapped at spaces inside the value column (a sentence is not cut).
func (s *securityScreen) hangRow(label, value string, style lipgloss.Style) string {
	st := s.common.Styles
	lines := strings.Split(wrapAtSpaces(value, max(10, s.common.Width-28)), "\n")
	out := st.Label.Width(28).Render(label) + style.Render(lines[0]) + "\n"
	for _, l := range lines[1:] {
		out += strings.Repeat(" ", 28) + style.Render(l) + "\n"
	}
	return out
}

func (s *securityScreen) profileView() string {
	var b strings.Builder
	me := s.me()
	user := s.cur.User
	if me != nil {
		user = me.Username
	}
	b.WriteString(s.row("Username", user))
	if me != nil {
		b.WriteString(s.row("Role", me.Role))
		b.WriteString(s.row("User ID", strconv.FormatInt(me.ID, 10)))
	}
	b.WriteString(s.row("Server", s.env.Server()))
	b.WriteString(s.row("Session stored in", s.storage()))
	if me == nil && s.account != nil {
		b.WriteString("\n" + s.common.Styles.Subtle.Render("This server does not report account details.") + "\n")
	}
	b.WriteString("\n" + s.action(s.common.KeyMap.Logout, "Log out"))
	return b.String()
}

func (s *securityScreen) storage() string {
	if s.cur.backend == "" {
		return "not stored yet"
	}
	return s.cur.backend
}

func (s *securityScreen) securityView() string {
	st := s.common.Styles
	var b strings.Builder
	if me := s.me(); s.enabled() {
		state := "On"
		if me != nil && me.TwoFactor.EnabledAt != nil {
			state += " since " + words.Time(*me.TwoFactor.EnabledAt)
		}
		b.WriteString(s.hangRow("Two-factor authentication", state, st.Success))
		if me != nil {
			tf := me.TwoFactor
			b.WriteString(s.row("Backup codes left", fmt.Sprintf("%d of %d", tf.BackupCodesRemaining, tf.BackupCodesTotal)))
		}
		if until := s.cur.lockedUntil; s.common.Now().Before(until) {
			b.WriteString(s.hangRow("Code checks", words.LockedUntil(until), st.Error))
		}
	} else {
		b.WriteString(s.hangRow("Two-factor authentication", "Off", st.Warning))
	}
	b.WriteString(s.row("Session stored in", s.storage()))
	if s.requiredNote != "" {
		b.WriteString(st.Warning.Width(s.common.TextWidth()).Render("⚠ "+s.requiredNote) + "\n")
	}
	if s.cur.warning != "" {
		b.WriteString(st.Warning.Width(s.common.TextWidth()).Render("⚠ "+s.cur.warning) + "\n")
	}
	b.WriteString("\n")
	km := s.common.KeyMap
	if s.enabled() {
		b.WriteString(s.action(km.Regenerate, "Regenerate backup codes"))
		b.WriteString(s.action(km.Disable, "Disable 2FA"))
	} else {
		b.WriteString(st.Text.Width(s.common.TextWidth()).Render("Protect your account with a code from an authenticator app as well as your password.") + "\n\n")
		b.WriteString(s.action(km.Enable, "Enable Two-Factor Authentication"))
	}
	b.WriteString(s.action(km.Logout, "Log out"))
	return b.String()
}

func (s *securityScreen) action(k key.Binding, label string) string {
	st := s.common.Styles
	return st.Plain.Width(4).Render(st.Key.Render(k.Help().Key)) + st.Text.Render(label) + "\n"
}

// logoutDialog asks before logging out: one stray l in a shared terminal
// must not end the session.
func (s *securityScreen) logoutDialog() string {
	return yesNoDialog(s.common, "Log out of "+s.env.Server()+"?", "")
}

func (s *securityScreen) ShortHelp() []key.Binding {
	if s.onUsers() {
		return s.users.shortHelp()
	}
	km := s.common.KeyMap
	if s.askLogout {
		return []key.Binding{ui.Relabel(km.Yes, "log out"), ui.Relabel(km.No, "stay"), km.Quit}
	}
	return append(s.accountKeys(), km.Logout, km.NextTab, km.Help, km.QuitQ)
}

// accountKeys are the 2FA actions the account as it is offers: none before
// it is loaded, Regenerate and Disable with 2FA on, Enable with it off.
func (s *securityScreen) accountKeys() []key.Binding {
	km := s.common.KeyMap
	switch {
	case s.account == nil:
		return nil
	case s.enabled():
		return []key.Binding{km.Regenerate, km.Disable}
	}
	return []key.Binding{km.Enable}
}

// FullHelp lists the keys that apply to the account as it is; "?" itself
// is not one of them.
func (s *securityScreen) FullHelp() [][]key.Binding {
	if s.onUsers() {
		return s.users.fullHelp()
	}
	km := s.common.KeyMap
	return [][]key.Binding{
		append(s.accountKeys(), km.Logout),
		{km.NextTab, km.PrevTab, km.Refresh},
		{km.QuitQ, km.Quit},
	}
}
