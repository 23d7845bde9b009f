package screens

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	"github.com/twofa/twofa/client"
	"github.com/twofa/twofa/ui/words"
)

// The Users tab's detail pane: one account's facts as the server gave
// them, its recent security events where the server offers them, the
// actions it offers, and the confirmation that names the account.

// detailView draws the open account in height rows.
func (p *usersPane) detailView(height int) string {
	st := p.common.Styles
	u := p.open
	var b strings.Builder
	b.WriteString(st.Title.Render(u.Username) + st.Subtle.Render(fmt.Sprintf("  id %d", u.ID)) + "\n\n")
	row := func(label, value string) {
		b.WriteString(st.Label.Width(20).Render(label) + st.Value.Render(value) + "\n")
	}
	row("Role", u.RoleName)
	if u.TOTPEnabled != nil {
		state := "Off"
		if *u.TOTPEnabled {
			state = "On"
			if u.BackupCodesRemaining != nil {
				state += fmt.Sprintf(" · %d backup codes left", *u.BackupCodesRemaining)
			}
		}
		row("Two-factor auth", state)
	}
	if u.LockedUntil != nil {
		b.WriteString(st.Label.Width(20).Render("Lock") + st.Warning.Render(words.AdminLockedUntil(u.LockedUntil.Time)) + "\n")
	} else if u.BackupCodesRemaining != nil {
		row("Lock", "none")
	}
	if u.LastLoginAt != nil {
		row("Last sign-in", words.Time(u.LastLoginAt.Time))
	}
	if u.Email != nil && *u.Email != "" {
		row("Email", *u.Email)
	}
	actions := p.actionsView()
	// The events take the rows left: their blank line and title, and the
	// blank line before the actions, come off first.
	used := strings.Count(b.String(), "\n") + strings.Count(actions, "\n") + 3
	b.WriteString(p.eventsView(height - used))
	b.WriteString("\n" + actions)
	return b.String()
}

// eventsView lists the newest events, at most n of them under their
// title; nothing where the server has no events route or n < 1.
func (p *usersPane) eventsView(n int) string {
	if !p.offers(client.ExtEvents) || n < 1 {
		return ""
	}
	st := p.common.Styles
	var b strings.Builder
	b.WriteString("\n" + st.Label.Render("Recent security events") + "\n")
	if len(p.events) == 0 {
		return b.String() + st.Subtle.Render(words.UsersNoEvents) + "\n"
	}
	for i, e := range p.events {
		if i == n {
			break
		}
		line := words.Time(e.At.Time) + "  " + e.Event + "  " + e.ClientAddr
		b.WriteString(st.Text.Render(truncate(line, p.common.Width-1)) + "\n")
	}
	return b.String()
}

// actionsView is the confirmation, or the actions the server offers.
func (p *usersPane) actionsView() string {
	st := p.common.Styles
	if p.confirm != actionNone {
		return yesNoDialog(p.common, actionWords[p.confirm].confirm(p.open.Username), "") + "\n"
	}
	var b strings.Builder
	for _, k := range p.actionKeys() {
		b.WriteString(st.Plain.Width(6).Render(st.Key.Render(k.Help().Key)) + st.Text.Render(capitalize(k.Help().Desc)) + "\n")
	}
	return b.String()
}

// actionKeys are the actions the server offers, then back.
func (p *usersPane) actionKeys() []key.Binding {
	out := []key.Binding{p.keys.Reset}
	if p.offers(client.ExtUnlock) {
		out = append(out, p.keys.Unlock)
	}
	if p.offers(client.ExtTempPassword) {
		out = append(out, p.keys.TempPassword)
	}
	return append(out, p.keys.Back)
}

func capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// shortHelp is the footer's keys for the pane's state.
func (p *usersPane) shortHelp() []key.Binding {
	km := p.common.KeyMap
	switch {
	case p.confirm != actionNone:
		return []key.Binding{km.Yes, km.No, km.Quit}
	case p.open != nil:
		return append(p.actionKeys(), km.Quit)
	}
	return []key.Binding{p.keys.Up, p.keys.Open, p.keys.Clear, km.NextTab, km.Quit}
}

// fullHelp is every key of the pane.
func (p *usersPane) fullHelp() [][]key.Binding {
	km := p.common.KeyMap
	return [][]key.Binding{
		{p.keys.Up, p.keys.Open, p.keys.Clear, km.Refresh},
		p.actionKeys(),
		{km.NextTab, km.PrevTab, km.Quit},
	}
}
