package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/pflag"
	"github.com/twofa/twofa/client"
	"github.com/twofa/twofa/screens"
	"github.com/twofa/twofa/sshui"
)

// SSHFlags are the flags of the SSH front end (serve --ssh, gateway).
type SSHFlags struct {
	Addr          string
	HostKey       string
	IdleTimeout   time.Duration
	MaxSession    time.Duration
	MaxSessions   int
	RatePerMinute int
}

// Register adds --ssh (described by addrUsage) and the SSH policy flags to fs.
func (o *SSHFlags) Register(fs *pflag.FlagSet, addrUsage string) {
	fs.StringVar(&o.Addr, "ssh", "", addrUsage)
	fs.StringVar(&o.HostKey, "ssh-host-key", "", "SSH host key `file`, created (Ed25519, mode 0600) when missing (default $XDG_DATA_HOME/twofa/"+sshui.HostKeyName+")")
	fs.DurationVar(&o.IdleTimeout, "ssh-idle-timeout", sshui.DefaultIdleTimeout, "end an SSH session after this long without a key pressed")
	fs.DurationVar(&o.MaxSession, "ssh-max-session", sshui.DefaultMaxSession, "end an SSH session this long after it began")
	fs.IntVar(&o.MaxSessions, "ssh-max-sessions", sshui.DefaultMaxSessions, "SSH sessions open at once; more are refused with a line saying so")
	fs.IntVar(&o.RatePerMinute, "ssh-rate", sshui.DefaultRatePerMinute, "SSH connections one address (IPv4, IPv6 /64) may open a minute; more are refused")
}

// resolve checks the values and fills the host key's default path.
func (o *SSHFlags) resolve(f *Factory) error {
	switch {
	case o.IdleTimeout <= 0:
		return fmt.Errorf("--ssh-idle-timeout %s: want a positive duration such as 10m", o.IdleTimeout)
	case o.MaxSession <= 0:
		return fmt.Errorf("--ssh-max-session %s: want a positive duration such as 1h", o.MaxSession)
	case o.MaxSessions <= 0:
		return fmt.Errorf("--ssh-max-sessions %d: want at least 1", o.MaxSessions)
	case o.RatePerMinute <= 0:
		return fmt.Errorf("--ssh-rate %d: want at least 1 connection a minute", o.RatePerMinute)
	}
	if _, _, err := net.SplitHostPort(o.Addr); err != nil {
		return fmt.Errorf("--ssh %q: want HOST:PORT, e.g. 0.0.0.0:2222", o.Addr)
	}
	if o.HostKey == "" {
		dir, err := dataDir(f)
		if err != nil {
			return fmt.Errorf("%w, or pass --ssh-host-key", err)
		}
		o.HostKey = filepath.Join(dir, "twofa", sshui.HostKeyName)
	}
	return nil
}

// sshFront is a running SSH front end.
type sshFront struct {
	srv  *sshui.Server
	ln   net.Listener
	key  sshui.HostKey
	done chan error
}

// startSSH loads (or creates) the host key, listens on the --ssh address
// and serves the UI over c until stop; the log's first line names the
// address, the host key's path and its fingerprint.
func (o *SSHFlags) startSSH(c *client.Client, demo *screens.DemoAccount, logger *slog.Logger) (*sshFront, error) {
	key, err := sshui.LoadHostKey(o.HostKey)
	if err != nil {
		return nil, err
	}
	srv, err := sshui.New(sshui.Options{
		Client: c, HostKey: key, Demo: demo, Logger: logger,
		IdleTimeout: o.IdleTimeout, MaxSession: o.MaxSession, MaxSessions: o.MaxSessions, RatePerMinute: o.RatePerMinute,
	})
	if err != nil {
		return nil, err
	}
	ln, err := net.Listen("tcp", o.Addr)
	if err != nil {
		return nil, fmt.Errorf("listen on %s for SSH: %w", o.Addr, err)
	}
	logger.Info("twofa ssh listening", "addr", ln.Addr().String(), "server", c.Server(),
		"host_key", key.Path, "host_key_created", key.Created, "fingerprint", key.Fingerprint())
	front := &sshFront{srv: srv, ln: ln, key: key, done: make(chan error, 1)}
	go func() { front.done <- srv.Serve(ln) }()
	return front, nil
}

// port is the port the front end listens on.
func (s *sshFront) port() string {
	_, port, _ := net.SplitHostPort(s.ln.Addr().String())
	return port
}

// stop tells every open session that the server is shutting down, waits
// up to 10 seconds for them to close, and stops listening.
func (s *sshFront) stop() error {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	err := s.srv.Shutdown(ctx)
	if serr := <-s.done; err == nil {
		err = serr
	}
	if err != nil {
		return fmt.Errorf("ssh shutdown: %w", err)
	}
	return nil
}

// dataDir is $XDG_DATA_HOME, else ~/.local/share.
func dataDir(f *Factory) (string, error) {
	if dir := f.Getenv("XDG_DATA_HOME"); dir != "" {
		return dir, nil
	}
	home := f.Getenv("HOME")
	if home == "" {
		return "", errors.New("cannot find a data directory (HOME and XDG_DATA_HOME unset)")
	}
	return filepath.Join(home, ".local", "share"), nil
}

// sshCommand is the command a person types to reach the front end at port
// of host, for messages.
func sshCommand(host, port string, extra ...string) string {
	parts := []string{"ssh", "-p", port}
	parts = append(parts, extra...)
	return strings.Join(append(parts, host), " ")
}
