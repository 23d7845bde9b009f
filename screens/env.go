// Package screens holds the root model of the terminal UI and one file per
// screen: sign in, second factor, the Security tab, the enable wizard, the
// backup codes, regenerate and disable.
package screens

import (
	"context"
	"errors"
	"net/url"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/twofa/twofa/client"
	"github.com/twofa/twofa/keyring"
	"github.com/twofa/twofa/session"
	"github.com/twofa/twofa/ui/words"
)

// DemoAccount is the account `twofa demo` creates; the sign-in screen shows it.
type DemoAccount struct {
	Username string
	Password string
}

// Env is what the screens need from outside: the session manager of the
// server (its client, where tokens are kept, what is remembered between
// runs). It is built once by the command that starts the UI and never
// changed by the screens; it holds no one's session, so one Env may serve
// several programs.
type Env struct {
	Sessions *session.Manager
	// Demo, when set, is shown on the sign-in screen, and no stored
	// session is tried.
	Demo *DemoAccount
	// Timeout bounds every request and keyring call; 0 means 20 seconds.
	Timeout time.Duration
}

func (e *Env) timeout() time.Duration {
	if e.Timeout <= 0 {
		return 20 * time.Second
	}
	return e.Timeout
}

// request returns a command that runs do under parent with the Env's
// timeout: every request and keyring call runs so, and its result comes
// back as a message, so no frame ever waits on the network or the keyring.
// A screen's parent is its ui.Busy's context, which Esc (or a newer request
// in its place) cancels: an answer whose error is that cancellation is
// dropped here, as the screen already said so.
func (e *Env) request(parent context.Context, do func(ctx context.Context) (tea.Msg, error)) tea.Cmd {
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(parent, e.timeout())
		defer cancel()
		msg, err := do(ctx)
		if errors.Is(err, context.Canceled) {
			return nil
		}
		return msg
	}
}

// Server is the normalized server URL, as shown in the header.
func (e *Env) Server() string { return e.Sessions.Server() }

// clock is what the client has learnt about the server's clock.
func (e *Env) clock() client.Clock { return e.Sessions.Client().Clock() }

// Host is the server's host name, for file names.
func (e *Env) Host() string {
	u, err := url.Parse(e.Server())
	if err != nil || u.Hostname() == "" {
		return "server"
	}
	return u.Hostname()
}

// firstUser is whom Sign in is for at start: the demo account, else the
// last user of this server.
func (e *Env) firstUser() string {
	if e.Demo != nil {
		return e.Demo.Username
	}
	return e.Sessions.LastUser()
}

// current is the session as the app holds it: App.Update alone changes it,
// on the program's one goroutine, and the screens read it there (in Update
// and View). A command gets a copy of the Session it acts for, so nothing
// a command runs can change it.
type current struct {
	session.Session
	// backend and warning describe where the token is kept, once known.
	backend string
	warning string
	// lockedUntil is the end of a second-factor lock seen in this run.
	lockedUntil time.Time
}

// setStorage records where the token is kept, and the warning w gives when
// that is weak.
func (c *current) setStorage(st keyring.Storage, w words.Words) {
	c.backend, c.warning = st.Name, w.StorageWarning(st)
}
