// Package session is the one owner of a person's session at a server: it
// signs in (at the route remembered for the user), completes the second
// factor, saves a session for the next run and resumes it, forgets one the
// server no longer takes, logs out (saying until when a session a server
// cannot end stays valid), and loads the account — /me, or /2fa/status where
// the server has no /me — in one request once the client knows which. The
// terminal UI, `twofa status`, `twofa logout` and any later front end (an
// SSH gateway, an admin screen) use it; it is modelled on gh's AuthConfig.
//
// A Session is a value. A Manager holds no one's session — only the client,
// where tokens are kept and what is remembered between runs — so it is safe
// for concurrent use and one Manager may serve many people. Nothing here
// changes a token behind a front end's back: the front end keeps its Session
// and replaces it where it decides to (the TUI: on its Update goroutine),
// and each request gets a copy, bound to its client with WithToken. No token
// is shared mutable state, so no lock is needed and none can be forgotten.
package session

import (
	"errors"

	"github.com/twofa/twofa/client"
	"github.com/twofa/twofa/keyring"
)

// ErrNotStored is returned by Load and Resume when no session is kept for
// the user (or no user is known).
var ErrNotStored = errors.New("no stored session")

// Session is one person's signed-in session at one server. Its String never
// shows the token, so a Session printed by mistake leaks nothing.
type Session struct {
	// User is the username the person signed in with.
	User string
	// Token is the session token; "" when signed out.
	Token string
	// Portal is the route that signed the user in, remembered by Save.
	Portal client.Portal
}

// SignedIn reports whether s holds a session token.
func (s Session) SignedIn() bool { return s.Token != "" }

// String describes s without its token.
func (s Session) String() string {
	if s.SignedIn() {
		return "session of " + s.User
	}
	return "no session (" + s.User + ")"
}

// GoString is String, so %#v does not print the token either.
func (s Session) GoString() string { return s.String() }

// Pending is a sign-in whose password was right, waiting for its second
// factor. Its String never shows the pending token.
type Pending struct {
	User   string
	Token  string
	Portal client.Portal
}

// String describes p without its token.
func (p Pending) String() string { return "sign-in of " + p.User + " waiting for its second factor" }

// GoString is String, so %#v does not print the token either.
func (p Pending) GoString() string { return p.String() }

// Store keeps session tokens between runs; *keyring.Store is one.
type Store interface {
	Save(server, user, token string) error
	// Load returns keyring.ErrNotFound when nothing is stored.
	Load(server, user string) (string, error)
	Delete(server, user string) error
	Storage() keyring.Storage
}

// Memory remembers between runs who last signed in at a server and the
// route each user signs in at when it is not the main one ("customer-portal");
// *config.File is one. It must be safe for concurrent use.
type Memory interface {
	LastUser(server string) string
	Route(server, user string) string
	// Remember records user as the last one at server, signed in at route
	// ("" for the main route, which forgets any other).
	Remember(server, user, route string) error
}

// Manager signs people in at one server and keeps their sessions.
type Manager struct {
	client *client.Client
	store  Store
	memory Memory
}

// New returns a Manager for c's server. A nil store keeps no session
// between runs; a nil memory remembers no user or route.
func New(c *client.Client, store Store, memory Memory) *Manager {
	return &Manager{client: c, store: store, memory: memory}
}

// Server is the normalized server URL.
func (m *Manager) Server() string { return m.client.Server() }

// Client is the client without a session: the server's address, its clock
// and the extensions it has shown it offers.
func (m *Manager) Client() *client.Client { return m.client }

// ClientFor is the client bound to s's token, for the routes of a signed-in
// person (setup, regenerate, disable).
func (m *Manager) ClientFor(s Session) *client.Client { return m.client.WithToken(s.Token) }

// LastUser is the username last signed in at this server, or "".
func (m *Manager) LastUser() string {
	if m.memory == nil {
		return ""
	}
	return m.memory.LastUser(m.Server())
}

// Storage says where tokens are kept (the zero Storage before the store is
// first used, or when there is none).
func (m *Manager) Storage() keyring.Storage {
	if m.store == nil {
		return keyring.Storage{}
	}
	return m.store.Storage()
}
