package screens

import (
	"errors"
	"fmt"
	"strings"

	"github.com/twofa/twofa/internal/wire"
	"github.com/twofa/twofa/ui/cellwriter"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
	"github.com/twofa/twofa/client"
	"github.com/twofa/twofa/ui"
	"github.com/twofa/twofa/ui/words"
)

// usersKeys are the Users tab's own keys.
type usersKeys struct {
	Up, Down, Open, Clear, Back, Reset, Unlock, TempPassword key.Binding
}

func newUsersKeys() usersKeys {
	return usersKeys{
		Up:           key.NewBinding(key.WithKeys("up"), key.WithHelp("↑/↓", "choose")),
		Down:         key.NewBinding(key.WithKeys("down")),
		Open:         key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "details and actions")),
		Clear:        key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "clear filter")),
		Back:         key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "back to the list")),
		Reset:        key.NewBinding(key.WithKeys("r"), key.WithHelp("r", "reset 2FA")),
		Unlock:       key.NewBinding(key.WithKeys("u"), key.WithHelp("u", "unlock")),
		TempPassword: key.NewBinding(key.WithKeys("t"), key.WithHelp("t", "send temporary password")),
	}
}

// usersPane is the Users tab of the signed-in screen, shown to admins: the
// accounts filtered by what is typed, and one account's details, recent
// security events and actions, each asked to be confirmed by name. It
// shows only what the server says and offers only what it has.
type usersPane struct {
	common  ui.Common
	env     *Env
	cur     *current
	keys    usersKeys
	busy    ui.Busy
	started bool
	all     []client.AdminUser
	filter  string
	sel     int
	// open is the account whose details are shown; nil in the list.
	open    *client.AdminUser
	events  []client.AdminEvent
	confirm adminAction
	err     string
	notice  string
}

func newUsersPane(c ui.Common, env *Env, cur *current) *usersPane {
	return &usersPane{common: c, env: env, cur: cur, keys: newUsersKeys(), busy: ui.NewBusy(c.Styles)}
}

// Init loads the accounts (again).
func (p *usersPane) Init() tea.Cmd {
	p.started = true
	return tea.Batch(p.busy.Start(words.UsersLoading), listUsersCmd(p.busy.Context(), p.env, p.cur.Session))
}

// capturing reports whether typed letters go to the filter.
func (p *usersPane) capturing() bool { return p.open == nil }

// shown is the accounts whose name holds the filter, in any case.
func (p *usersPane) shown() []client.AdminUser {
	needle := strings.ToLower(p.filter)
	var out []client.AdminUser
	for _, u := range p.all {
		if strings.Contains(strings.ToLower(u.Username), needle) {
			out = append(out, u)
		}
	}
	return out
}

// offers reports whether the server has the route of ext.
func (p *usersPane) offers(ext client.Extension) bool {
	on, known := p.env.Sessions.Client().Offers(ext)
	return on && known
}

// update handles the pane's messages and keys; ended is set when the
// server no longer takes the session.
func (p *usersPane) update(msg tea.Msg) (cmd tea.Cmd, ended bool) {
	switch msg := msg.(type) {
	case usersLoadedMsg:
		p.busy.Stop()
		if msg.err != nil {
			return nil, p.fail(msg.err)
		}
		p.all, p.err = msg.users, ""
		p.refreshOpen()
		return nil, false
	case userEventsMsg:
		if p.open != nil && p.open.ID == msg.id && msg.err == nil {
			p.events = msg.events
		}
		return nil, false
	case adminDoneMsg:
		p.busy.Stop()
		if msg.err != nil {
			return nil, p.fail(msg.err)
		}
		p.notice = actionWords[msg.action].done(msg.name)
		if p.open != nil && p.offers(client.ExtEvents) {
			return tea.Batch(p.Init(), userEventsCmd(p.env, p.cur.Session, p.open.ID)), false
		}
		return p.Init(), false
	case tea.KeyMsg:
		if p.busy.Active() {
			return nil, false
		}
		return p.key(msg), false
	}
	p.busy, cmd = p.busy.Update(msg)
	return cmd, false
}

// fail shows a refusal; ended reports a session the server no longer takes.
func (p *usersPane) fail(err error) (ended bool) {
	var api *client.APIError
	if errors.As(err, &api) && api.Code == wire.Unauthorized {
		return true
	}
	p.err = "✗ " + p.common.Words.Error(err)
	return false
}

// refreshOpen replaces the open account by its reloaded row.
func (p *usersPane) refreshOpen() {
	if p.open == nil {
		return
	}
	for i := range p.all {
		if p.all[i].ID == p.open.ID {
			u := p.all[i]
			p.open = &u
			return
		}
	}
	p.open = nil
}

// key handles a key in the list, the details or the confirmation.
func (p *usersPane) key(msg tea.KeyMsg) tea.Cmd {
	km := p.common.KeyMap
	switch {
	case p.confirm != actionNone:
		return p.answer(msg)
	case key.Matches(msg, km.Refresh):
		p.notice = ""
		return p.Init()
	case p.open != nil:
		return p.detailKey(msg)
	}
	shown := p.shown()
	switch {
	case key.Matches(msg, p.keys.Up):
		p.sel = max(0, p.sel-1)
	case key.Matches(msg, p.keys.Down):
		p.sel = min(max(0, len(shown)-1), p.sel+1)
	case key.Matches(msg, p.keys.Open) && p.sel < len(shown):
		u := shown[p.sel]
		p.open, p.events, p.notice = &u, nil, ""
		if p.offers(client.ExtEvents) || !p.known(client.ExtEvents) {
			return userEventsCmd(p.env, p.cur.Session, u.ID)
		}
	case key.Matches(msg, p.keys.Clear):
		p.filter, p.sel = "", 0
	case msg.Type == tea.KeyBackspace && p.filter != "":
		r := []rune(p.filter)
		p.filter, p.sel = string(r[:len(r)-1]), 0
	case msg.Type == tea.KeyRunes && !msg.Alt:
		p.filter, p.sel, p.notice = p.filter+string(msg.Runes), 0, ""
	}
	return nil
}

// known reports whether the client has learnt whether ext is offered.
func (p *usersPane) known(ext client.Extension) bool {
	_, known := p.env.Sessions.Client().Offers(ext)
	return known
}

// detailKey handles a key on an account's details.
func (p *usersPane) detailKey(msg tea.KeyMsg) tea.Cmd {
	switch {
	case key.Matches(msg, p.keys.Back):
		p.open, p.events = nil, nil
	case key.Matches(msg, p.keys.Reset):
		p.confirm = actionReset
	case key.Matches(msg, p.keys.Unlock) && p.offers(client.ExtUnlock):
		p.confirm = actionUnlock
	case key.Matches(msg, p.keys.TempPassword) && p.offers(client.ExtTempPassword):
		p.confirm = actionTempPassword
	}
	return nil
}

// answer takes y or n to the confirmation.
func (p *usersPane) answer(msg tea.KeyMsg) tea.Cmd {
	km := p.common.KeyMap
	switch {
	case key.Matches(msg, km.Yes):
		a := p.confirm
		p.confirm, p.notice, p.err = actionNone, "", ""
		return tea.Batch(p.busy.Start("Asking the server…"), adminActionCmd(p.busy.Context(), p.env, p.cur.Session, a, p.open.ID, p.open.Username))
	case key.Matches(msg, km.No):
		p.confirm = actionNone
	}
	return nil
}

// wide reports whether the list has room for codes left and the time of day.
func (p *usersPane) wide() bool { return p.common.Width >= 72 }

// view draws the list or the open account, under the tabs.
func (p *usersPane) view(height int) string {
	st := p.common.Styles
	var b strings.Builder
	// The error and the notice go under the list or the account, which
	// gets the rows they leave: a notice is never pushed under the footer.
	var trailer string
	if p.err != "" {
		trailer += "\n" + st.Error.Width(p.common.TextWidth()).Render(p.err) + "\n"
	}
	if p.notice != "" {
		trailer += "\n" + st.Success.Width(p.common.TextWidth()).Render(p.notice) + "\n"
	}
	room := height - strings.Count(trailer, "\n")
	switch {
	case p.busy.Active():
		b.WriteString(p.busy.View() + "\n")
	case p.err != "" && p.all == nil:
		b.WriteString(st.Error.Width(p.common.TextWidth()).Render(p.err) + "\n")
		return b.String()
	case p.open != nil:
		b.WriteString(p.detailView(room))
	default:
		b.WriteString(p.listView(room))
	}
	return b.String() + trailer
}

// column is one column of the list: its header, width (0: the rest) and cell.
type column struct {
	header string
	width  int
	cell   func(u client.AdminUser) string
}

// cols are the list's columns: only those the server fills for some
// account (CoPilot's list has no 2FA state, codes left or lock), codes
// left only when wide.
func (p *usersPane) cols() []column {
	var tfa, ext, last bool
	for _, u := range p.all {
		tfa = tfa || u.TOTPEnabled != nil
		ext = ext || u.BackupCodesRemaining != nil
		last = last || u.LastLoginAt != nil
	}
	// The role column is as wide as its longest name ("customer_user"),
	// 9 to 14 cells, rather than cutting it beside an empty name column.
	roleW := 14
	if !p.wide() {
		roleW = 9
		for _, u := range p.all {
			roleW = min(14, max(roleW, ansi.StringWidth(u.RoleName)+1))
		}
	}
	out := []column{{"User", 0, func(u client.AdminUser) string { return u.Username }},
		{"Role", roleW, func(u client.AdminUser) string { return u.RoleName }}}
	if tfa {
		out = append(out, column{"2FA", 5, func(u client.AdminUser) string {
			return map[bool]string{true: "on", false: "off"}[u.TOTPEnabled != nil && *u.TOTPEnabled]
		}})
	}
	if ext && p.wide() {
		out = append(out, column{"Codes", 7, func(u client.AdminUser) string {
			if u.TOTPEnabled == nil || !*u.TOTPEnabled || u.BackupCodesRemaining == nil {
				return words.UsersNotSaid
			}
			return fmt.Sprint(*u.BackupCodesRemaining)
		}})
	}
	if ext {
		out = append(out, column{"Lock", 8, func(u client.AdminUser) string {
			return map[bool]string{true: "locked", false: ""}[u.LockedUntil != nil]
		}})
	}
	if last || tfa {
		header, width := "Last sign-in", 21
		if !p.wide() {
			header, width = "Signed in", 11
		}
		out = append(out, column{header, width, func(u client.AdminUser) string {
			if u.LastLoginAt == nil {
				return words.UsersNeverSigned
			}
			return words.ShortTime(u.LastLoginAt.Time, !p.wide())
		}})
	}
	return out
}

// row lays out u's cells, or the header when u is nil.
func (p *usersPane) row(cols []column, u *client.AdminUser) string {
	rest := 0
	for _, c := range cols {
		rest += c.width
	}
	plain := p.common.Styles.Plain
	var b strings.Builder
	for _, c := range cols {
		w := c.width
		if w == 0 {
			w = max(8, p.common.Width-2-rest)
		}
		text := c.header
		if u != nil {
			text = c.cell(*u)
		}
		b.WriteString(plain.Width(w).MaxWidth(w).Render(truncate(text, w-1)))
	}
	return b.String()
}

// truncate cuts s to n cells with an ellipsis.
func truncate(s string, n int) string {
	if lipgloss.Width(s) <= n || n < 1 {
		return s
	}
	r := []rune(s)
	for len(r) > 0 && lipgloss.Width(string(r))+1 > n {
		r = r[:len(r)-1]
	}
	return string(r) + "…"
}

// listView draws the filter, the header and the rows around the selection.
func (p *usersPane) listView(height int) string {
	st := p.common.Styles
	var b strings.Builder
	// The terminal's cursor stands where the next letter of the filter goes.
	filter := cellwriter.CursorMark + st.Subtle.Render(words.UsersFilterHint)
	if p.filter != "" {
		filter = st.Value.Render(p.filter) + cellwriter.CursorMark
	}
	b.WriteString(st.Label.Render("Find  › ") + filter + "\n\n")
	shown := p.shown()
	if len(shown) == 0 {
		b.WriteString(st.Subtle.Render(words.UsersNone) + "\n")
		return b.String()
	}
	cols := p.cols()
	b.WriteString("  " + st.Label.Render(p.row(cols, nil)) + "\n")
	rows := max(1, height-7)
	first := max(0, min(p.sel-rows+1, len(shown)-rows))
	for i := first; i < len(shown) && i < first+rows; i++ {
		mark, style := "  ", st.Text
		if i == p.sel {
			mark, style = st.Field.Marker.Render("› "), st.Value
		}
		if shown[i].LockedUntil != nil {
			style = st.Warning
		}
		line := style.Render(p.row(cols, &shown[i]))
		b.WriteString(mark + line + "\n")
	}
	b.WriteString(st.Subtle.Render(words.UsersCount(len(shown), len(p.all))) + "\n")
	return b.String()
}
