package app

import (
	"context"
	"fmt"
	"log/slog"
	"os/signal"
	"path/filepath"
	"syscall"

	"github.com/twofa/twofa/sshui"
)

// runDemoSSH serves the demo over SSH until ctx ends (Ctrl+C), having
// printed the ssh command, the account and the host key's fingerprint.
// The host key is the demo's own, new each run, in its temporary
// directory; the command keeps it out of the user's known_hosts.
func runDemoSSH(ctx context.Context, opts *DemoOptions, demo *demoBackend) error {
	f := opts.Factory
	ctx, stop := signal.NotifyContext(ctx, syscall.SIGINT, syscall.SIGTERM, syscall.SIGHUP)
	defer stop()
	flags := SSHFlags{
		Addr: opts.SSH, HostKey: filepath.Join(demo.dir, sshui.HostKeyName),
		IdleTimeout: sshui.DefaultIdleTimeout, MaxSession: sshui.DefaultMaxSession,
		MaxSessions: sshui.DefaultMaxSessions, RatePerMinute: sshui.DefaultRatePerMinute,
	}
	if err := flags.resolve(f); err != nil {
		return &ExitError{Code: 2, Err: err}
	}
	logger := slog.New(slog.NewTextHandler(f.IO.ErrOut, &slog.HandlerOptions{Level: slog.LevelWarn}))
	front, err := flags.startSSH(demo.client, &demo.account, logger)
	if err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	cmd := sshCommand("localhost", front.port(), "-o", "StrictHostKeyChecking=accept-new", "-o", "UserKnownHostsFile=/dev/null")
	fmt.Fprintf(f.IO.Out, `twofa demo over SSH: a throw-away server on this machine; Ctrl+C here ends it.

Try it from another terminal:

    %s

Sign in as %s, password %s (the sign-in screen shows them too).
Host key %s — new on every run, so the command
keeps it out of your known_hosts.
`, cmd, demo.account.Username, demo.account.Password, front.key.Fingerprint())
	select {
	case err := <-front.done:
		return fmt.Errorf("demo: ssh: %w", err)
	case <-ctx.Done():
	}
	return front.stop()
}
