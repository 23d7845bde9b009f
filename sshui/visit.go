package sshui

import (
	"net"
	"net/netip"
	"sync"
	"sync/atomic"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/ssh"
	"github.com/twofa/twofa/keyring"
	"github.com/twofa/twofa/session"
)

// outcome is how a connection ended, as the log says it.
type outcome string

// The outcomes a connection can have.
const (
	endedClosed    outcome = "closed"           // the person quit or hung up
	endedIdle      outcome = "idle timeout"     // no key for the idle timeout
	endedMax       outcome = "maximum length"   // the session's time was up
	endedShutdown  outcome = "server shutdown"  // the server is stopping
	refusedRate    outcome = "refused: rate"    // too many connections from the address
	refusedFull    outcome = "refused: full"    // every session slot in use
	refusedBusy    outcome = "refused: busy"    // too many connections at once (before the handshake)
	refusedNoPTY   outcome = "refused: no pty"  // no terminal asked for
	refusedCommand outcome = "refused: command" // a command or subsystem asked for
	noSession      outcome = "no session"       // handshake done, no session opened in time
	failedShake    outcome = "handshake failed" // the SSH handshake did not complete
	refusedSecond  outcome = "refused: 2nd session"
)

// visitKey finds a connection's visit in its ssh.Context.
type visitKey struct{}

// visit is one SSH connection: who it comes from, when, who signed in
// through it and how it ended — what the log says of it — and, while its
// program runs, how to end that program.
type visit struct {
	id    uint64
	addr  netip.Addr
	start time.Time
	// waitRate is how long the address must wait when the per-address
	// limit refused this connection (0: admitted).
	waitRate time.Duration
	conn     *guardedConn

	lastKey     atomic.Int64 // unix nanoseconds of the last input
	authStarted atomic.Bool  // the key exchange is done
	session     atomic.Bool  // a session channel is open (one per connection)

	mu      sync.Mutex
	users   []string          // who signed in, in order (no repeats)
	routes  map[string]string // the route each user signed in at
	ended   outcome           // set once: the first reason wins
	program *tea.Program
	// The program's session manager and token store, kept to end at the
	// server what the connection leaves signed in.
	sessions *session.Manager
	tokens   *keyring.Store
}

func visitOf(ctx ssh.Context) *visit {
	v, _ := ctx.Value(visitKey{}).(*visit)
	return v
}

// end records why the connection ends (the first reason given wins) and
// asks its program, if one runs, to quit.
func (v *visit) end(why outcome) {
	v.mu.Lock()
	if v.ended == "" {
		v.ended = why
	}
	p := v.program
	v.mu.Unlock()
	if p != nil {
		go p.Quit() // Quit waits for the program to read it
	}
}

// endedBy is what ended the session, "" when the person did.
func (v *visit) endedBy() outcome {
	v.mu.Lock()
	defer v.mu.Unlock()
	return v.ended
}

// connOutcome is how the connection ended, for its log line: its
// session's outcome, else how far it got.
func (v *visit) connOutcome() outcome {
	v.mu.Lock()
	ended := v.ended
	v.mu.Unlock()
	switch {
	case ended != "":
		return ended
	case v.session.Load():
		return endedClosed
	case v.authStarted.Load():
		return noSession
	}
	return failedShake
}

// setProgram records the running program, or quits it at once when the
// connection was ended before it started.
func (v *visit) setProgram(p *tea.Program) {
	v.mu.Lock()
	v.program = p
	ended := v.ended != ""
	v.mu.Unlock()
	if ended {
		go p.Quit()
	}
}

// keep records the program's session manager and token store.
func (v *visit) keep(m *session.Manager, st *keyring.Store) {
	v.mu.Lock()
	defer v.mu.Unlock()
	v.sessions, v.tokens = m, st
}

// kept returns what keep recorded (nil before a program ran).
func (v *visit) kept() (*session.Manager, *keyring.Store) {
	v.mu.Lock()
	defer v.mu.Unlock()
	return v.sessions, v.tokens
}

// signedIn records that user signed in at route; the log names them.
func (v *visit) signedIn(user, route string) {
	v.mu.Lock()
	defer v.mu.Unlock()
	if v.routes == nil {
		v.routes = map[string]string{}
	}
	if _, seen := v.routes[user]; !seen {
		v.users = append(v.users, user)
	}
	v.routes[user] = route
}

// signIns returns who signed in and the route of each.
func (v *visit) signIns() ([]string, map[string]string) {
	v.mu.Lock()
	defer v.mu.Unlock()
	routes := make(map[string]string, len(v.routes))
	for u, r := range v.routes {
		routes[u] = r
	}
	return append([]string(nil), v.users...), routes
}

// touched records input at now.
func (v *visit) touched(now time.Time) { v.lastKey.Store(now.UnixNano()) }

// quietFor is how long no input has come, at now.
func (v *visit) quietFor(now time.Time) time.Duration {
	return now.Sub(time.Unix(0, v.lastKey.Load()))
}

// guardedConn is a connection that must open its session by a deadline:
// until then every deadline the SSH server sets is cut to it, so a client
// that stalls the handshake, or never asks for a session, is dropped.
// Its Close runs onClose once.
type guardedConn struct {
	net.Conn
	by      atomic.Int64 // unix nanoseconds; 0 once the session began
	once    sync.Once
	onClose func()
}

func newGuardedConn(c net.Conn, by time.Time, onClose func()) *guardedConn {
	g := &guardedConn{Conn: c, onClose: onClose}
	g.by.Store(by.UnixNano())
	_ = c.SetDeadline(by)
	return g
}

// clamp cuts t to the session deadline while one holds.
func (g *guardedConn) clamp(t time.Time) time.Time {
	by := g.by.Load()
	if by == 0 {
		return t
	}
	if b := time.Unix(0, by); t.IsZero() || t.After(b) {
		return b
	}
	return t
}

// SetDeadline sets the connection's deadline, cut to the session deadline.
func (g *guardedConn) SetDeadline(t time.Time) error { return g.Conn.SetDeadline(g.clamp(t)) }

// SetReadDeadline sets the read deadline, cut to the session deadline.
func (g *guardedConn) SetReadDeadline(t time.Time) error { return g.Conn.SetReadDeadline(g.clamp(t)) }

// SetWriteDeadline sets the write deadline, cut to the session deadline.
func (g *guardedConn) SetWriteDeadline(t time.Time) error {
	return g.Conn.SetWriteDeadline(g.clamp(t))
}

// established lifts the session deadline: the session has begun.
func (g *guardedConn) established() {
	g.by.Store(0)
	_ = g.Conn.SetDeadline(time.Time{})
}

// closeAfter closes the connection after d, unless it closed before.
func (g *guardedConn) closeAfter(d time.Duration) {
	time.AfterFunc(d, func() { _ = g.Close() })
}

// Close closes the connection; the first call runs onClose.
func (g *guardedConn) Close() error {
	err := g.Conn.Close()
	g.once.Do(g.onClose)
	return err
}
