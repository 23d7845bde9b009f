package screens

import (
	"context"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/twofa/twofa/client"
	"github.com/twofa/twofa/session"
	"github.com/twofa/twofa/ui/words"
)

// The Users tab's requests: each on a copy of the admin's session, under
// the Env's timeout, answered by a message.

// usersListLimit is how many accounts the Users tab asks for; the filter
// then works on them without a request per key.
const usersListLimit = 1000

// eventsShown is how many security events the detail pane asks for.
const eventsShown = 5

type usersLoadedMsg struct {
	users []client.AdminUser
	err   error
}

// listUsersCmd loads the accounts and learns, without changing anything,
// which admin actions the server offers.
func listUsersCmd(parent context.Context, env *Env, s session.Session) tea.Cmd {
	return env.request(parent, func(ctx context.Context) (tea.Msg, error) {
		c := env.Sessions.ClientFor(s)
		users, err := c.ListUsers(ctx, "", usersListLimit)
		if err == nil {
			err = c.ProbeAdminActions(ctx)
		}
		return usersLoadedMsg{users: users, err: err}, err
	})
}

type userEventsMsg struct {
	id     int64
	events []client.AdminEvent
	err    error
}

// userEventsCmd loads an account's newest security events [ext].
func userEventsCmd(env *Env, s session.Session, id int64) tea.Cmd {
	return env.request(context.Background(), func(ctx context.Context) (tea.Msg, error) {
		events, err := env.Sessions.ClientFor(s).AdminEvents(ctx, id, eventsShown)
		return userEventsMsg{id: id, events: events, err: err}, err
	})
}

// adminAction is what an admin does to an account from the Users tab.
type adminAction int

const (
	actionNone adminAction = iota
	actionReset
	actionUnlock
	actionTempPassword
)

// actionWords is what each action asks before it is taken and says once done.
var actionWords = map[adminAction]struct{ confirm, done func(name string) string }{
	actionReset:        {words.ConfirmReset, words.ResetDone},
	actionUnlock:       {words.ConfirmUnlock, words.UnlockDone},
	actionTempPassword: {words.ConfirmTempPassword, words.TempPasswordDone},
}

type adminDoneMsg struct {
	action adminAction
	name   string
	err    error
}

// adminActionCmd resets, unlocks or sends a temporary password to the account id.
func adminActionCmd(parent context.Context, env *Env, s session.Session, a adminAction, id int64, name string) tea.Cmd {
	return env.request(parent, func(ctx context.Context) (tea.Msg, error) {
		c := env.Sessions.ClientFor(s)
		var err error
		switch a {
		case actionReset:
			err = c.AdminResetTOTP(ctx, id)
		case actionUnlock:
			_, err = c.AdminUnlock(ctx, id)
		case actionTempPassword:
			_, err = c.AdminSendTempPassword(ctx, id)
		}
		return adminDoneMsg{action: a, name: name, err: err}, err
	})
}
