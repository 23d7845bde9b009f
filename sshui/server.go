// Package sshui serves the terminal UI over SSH: every connection is its
// own Bubble Tea program (charmbracelet/wish's bubbletea middleware) with
// its own renderer, terminal size and background, its own session kept in
// that connection's memory only, and its own view of the server's clock.
// The SSH layer authenticates no one — the UI's sign-in and second factor
// do — so it keeps to what that needs: a host key kept 0600, a terminal
// and nothing else (no forwarding, commands or subsystems), an idle
// timeout and a maximum session length, a per-address connection rate and
// a maximum of sessions at once, a log line per connection without
// secrets, and a shutdown that tells every open session.
package sshui

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"sync"
	"sync/atomic"
	"time"

	"github.com/charmbracelet/ssh"
	"github.com/twofa/twofa/client"
	"github.com/twofa/twofa/screens"
	"github.com/twofa/twofa/ui/words"
)

// Defaults of the policy's Options.
const (
	DefaultIdleTimeout   = 10 * time.Minute
	DefaultMaxSession    = time.Hour
	DefaultMaxSessions   = 100
	DefaultRatePerMinute = 10
	// DefaultHandshakeTimeout bounds the time from connecting to opening a session.
	DefaultHandshakeTimeout = 30 * time.Second
	// shutdownGrace is how long the connection stays after its session
	// ended, for the client to read the last line and close it itself.
	shutdownGrace = 2 * time.Second
)

// Options configure a Server; Client and HostKey are required.
type Options struct {
	// Client is the account server's client; each connection talks to it
	// through its own copy (client.ForPeer).
	Client *client.Client
	// HostKey is the key the server proves itself with (LoadHostKey).
	HostKey HostKey
	// Demo, when set, is shown on every sign-in screen (twofa demo --ssh).
	Demo *screens.DemoAccount
	// IdleTimeout ends a session after that long without a key pressed.
	IdleTimeout time.Duration
	// MaxSession ends a session that long after it began, keys or not.
	MaxSession time.Duration
	// MaxSessions is how many sessions may be open at once.
	MaxSessions int
	// RatePerMinute is how many connections one address (an IPv4 address,
	// an IPv6 /64) may open a minute, in bursts of as many.
	RatePerMinute int
	// HandshakeTimeout is how long a connection may take from connecting
	// to opening its session; 0: DefaultHandshakeTimeout.
	HandshakeTimeout time.Duration
	// RequestTimeout bounds each request to the account server; 0: 20 s.
	RequestTimeout time.Duration
	// Logger receives one line per connection; nil: slog's default.
	Logger *slog.Logger
	// Now is the clock of the limits and timeouts; nil: time.Now.
	Now func() time.Time
}

func (o *Options) setDefaults() {
	if o.IdleTimeout <= 0 {
		o.IdleTimeout = DefaultIdleTimeout
	}
	if o.MaxSession <= 0 {
		o.MaxSession = DefaultMaxSession
	}
	if o.MaxSessions <= 0 {
		o.MaxSessions = DefaultMaxSessions
	}
	if o.RatePerMinute <= 0 {
		o.RatePerMinute = DefaultRatePerMinute
	}
	if o.HandshakeTimeout <= 0 {
		o.HandshakeTimeout = DefaultHandshakeTimeout
	}
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	if o.Now == nil {
		o.Now = time.Now
	}
}

// Server is the SSH front end of one account server.
type Server struct {
	opts  Options
	ssh   *ssh.Server
	words words.Words
	rate  *rateLimit
	// conns counts open connections, handshakes included; sessions counts
	// running programs.
	conns    counter
	sessions counter
	nextID   atomic.Uint64

	mu      sync.Mutex
	visits  map[*visit]struct{}
	closing bool
	// handlers counts session handlers still running (a program, or the
	// logouts after it), which Shutdown waits for.
	handlers sync.WaitGroup
}

// ErrNoHostKey is returned by New without a host key.
var ErrNoHostKey = errors.New("sshui: no host key")

// New returns a Server; it listens on nothing until Serve.
func New(opts Options) (*Server, error) {
	if opts.Client == nil {
		return nil, errors.New("sshui: no account server client")
	}
	if opts.HostKey.Signer == nil {
		return nil, ErrNoHostKey
	}
	opts.setDefaults()
	s := &Server{
		opts:   opts,
		words:  words.New(words.Settings{}), // a person over SSH has no flags to change
		rate:   newRateLimit(opts.RatePerMinute),
		visits: map[*visit]struct{}{},
	}
	s.conns.max = opts.MaxSessions + max(16, opts.MaxSessions/4)
	s.sessions.max = opts.MaxSessions
	s.ssh = s.newSSHServer()
	return s, nil
}

// Serve accepts connections on ln until Shutdown; it returns nil then.
func (s *Server) Serve(ln net.Listener) error {
	err := s.ssh.Serve(ln)
	if errors.Is(err, ssh.ErrServerClosed) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("ssh: %w", err)
	}
	return nil
}

// Sessions is how many sessions are open now.
func (s *Server) Sessions() int { return s.sessions.count() }

// Shutdown stops accepting connections, ends every open session with a
// line saying the server is shutting down, and waits for the connections
// to close; when ctx ends first, it closes those that remain.
func (s *Server) Shutdown(ctx context.Context) error {
	s.mu.Lock()
	s.closing = true
	open := make([]*visit, 0, len(s.visits))
	for v := range s.visits {
		open = append(open, v)
	}
	s.mu.Unlock()
	for _, v := range open {
		v.end(endedShutdown)
	}
	err := s.ssh.Shutdown(ctx)
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) {
		_ = s.ssh.Close()
	}
	finished := make(chan struct{})
	go func() {
		s.handlers.Wait()
		close(finished)
	}()
	select {
	case <-finished:
	case <-ctx.Done():
		if err == nil {
			err = ctx.Err()
		}
	}
	return err
}

// track adds or removes a live visit; it reports false while shutting down.
func (s *Server) track(v *visit, live bool) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !live {
		delete(s.visits, v)
		s.handlers.Done()
		return true
	}
	if s.closing {
		return false
	}
	s.visits[v] = struct{}{}
	s.handlers.Add(1)
	return true
}
