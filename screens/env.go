// Package screens holds the root model of the terminal UI and one file per
// screen: sign in, second factor, the Security tab, the enable wizard, the
// backup codes, regenerate and disable.
package screens

import (
	"net/url"
	"time"

	"github.com/twofa/twofa/client"
	"github.com/twofa/twofa/keyring"
	"github.com/twofa/twofa/ui/words"
)

// SessionStore keeps a session token between runs; *keyring.Store is one.
type SessionStore interface {
	Save(server, user, token string) error
	Load(server, user string) (string, error)
	Delete(server, user string) error
	Storage() keyring.Storage
}

// DemoAccount is the account `twofa demo` creates; the sign-in screen shows it.
type DemoAccount struct {
	Username string
	Password string
}

// Env is what the screens need from outside: the API client, where the
// session token lives, and how to remember the last user. It is built once
// by the command that starts the UI and never changed by the screens.
type Env struct {
	Client *client.Client
	Tokens *client.TokenHolder
	// Store keeps the session between runs; nil keeps it in memory only.
	Store SessionStore
	// LastUser is the username to prefill (and whose stored session to try).
	LastUser string
	// Remember records user, signed in at portal, as the last user of this
	// server; nil for none.
	Remember func(user string, portal client.Portal) error
	// Portal returns the sign-in route remembered for user at this server;
	// nil means the main one.
	Portal func(user string) client.Portal
	// Demo, when set, is shown on the sign-in screen.
	Demo *DemoAccount
	// Timeout bounds every request and keyring call; 0 means 20 seconds.
	Timeout time.Duration
	// Dark says whether the terminal background is dark (for the QR code).
	Dark bool
}

func (e *Env) timeout() time.Duration {
	if e.Timeout <= 0 {
		return 20 * time.Second
	}
	return e.Timeout
}

// portal is where user's sign-in starts: the route remembered for them.
func (e *Env) portal(user string) client.Portal {
	if e.Portal == nil {
		return client.PortalMain
	}
	return e.Portal(user)
}

// Server is the normalized server URL, as shown in the header.
func (e *Env) Server() string { return e.Client.Server() }

// Host is the server's host name, for file names.
func (e *Env) Host() string {
	u, err := url.Parse(e.Client.Server())
	if err != nil || u.Hostname() == "" {
		return "server"
	}
	return u.Hostname()
}

// session is what the app learns while it runs; the screens read it and
// only Update (one goroutine) changes it.
type session struct {
	username string
	// signedIn is true while a full session token is held.
	signedIn bool
	// meOffered is nil until /me has been tried, then whether the server has it.
	meOffered *bool
	// backend and warning describe where the token is kept, once known.
	backend string
	warning string
}

func (s *session) setMeOffered(v bool) { s.meOffered = &v }

// setStorage records where the token is kept, and the warning w gives when
// that is weak.
func (s *session) setStorage(st keyring.Storage, w words.Words) {
	s.backend, s.warning = st.Name, w.StorageWarning(st)
}

// meKnownAbsent reports whether the server is known to lack /me (a stock
// CoPilot), so the enable wizard skips the password step.
func (s *session) meKnownAbsent() bool { return s.meOffered != nil && !*s.meOffered }
