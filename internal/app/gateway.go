package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"

	"github.com/spf13/cobra"
)

// GatewayOptions are the inputs of `twofa gateway`.
type GatewayOptions struct {
	Factory *Factory
	Client  *ClientFlags
	SSH     SSHFlags
}

// ErrGatewayServer is returned when `twofa gateway` is given no server.
var ErrGatewayServer = errors.New("twofa gateway needs the account server: pass --server https://host (or set TWOFA_SERVER)")

// NewCmdGateway returns `twofa gateway`: the terminal UI served over SSH
// in front of any server that speaks the account API — a stock CoPilot,
// or a reference server on another machine.
func NewCmdGateway(f *Factory, clientFlags *ClientFlags, runF func(*GatewayOptions) error) *cobra.Command {
	opts := &GatewayOptions{Factory: f, Client: clientFlags}
	cmd := &cobra.Command{
		Use:   "gateway --ssh ADDR --server URL",
		Short: "Serve the terminal UI over SSH in front of an account server (CoPilot included)",
		Long: `Serve the terminal UI over SSH: every connection gets its own UI, signed in
through the account server's own sign-in and second factor, so people need
nothing but ssh. The SSH layer itself authenticates no one. Each session's
token lives in that connection's memory only and is ended at the server
(where it offers logout) when the connection closes.

The account server is given as for the UI: --server (or TWOFA_SERVER), with
--ca-cert for a private CA and --allow-http for plain HTTP to another host.
Requests carry X-Forwarded-For with the person's address; a reference server
believes it only from a --trusted-proxy.`,
		Example: `  twofa gateway --ssh 0.0.0.0:2222 --server https://copilot.example.com
  twofa gateway --ssh 0.0.0.0:2222 --server https://copilot.internal --ca-cert /etc/twofa/ca.pem
  ssh -p 2222 twofa.example.com        # what people type`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := opts.resolve(); err != nil {
				return &ExitError{Code: 2, Err: err}
			}
			if runF != nil {
				return runF(opts)
			}
			return untilStopped(cmd.Context(), func(ctx context.Context) error { return runGateway(ctx, opts) })
		},
	}
	opts.SSH.Register(cmd.Flags(), "listen for SSH on this `address`, e.g. 0.0.0.0:2222 (required)")
	return cmd
}

// resolve checks the flags: an SSH address and a server are required
// (the gateway has no --insecure-storage: sessions stay in memory).
func (o *GatewayOptions) resolve() error {
	if o.SSH.Addr == "" {
		return errors.New("twofa gateway needs --ssh ADDR, e.g. --ssh 0.0.0.0:2222")
	}
	if o.Client.Server == "" {
		o.Client.Server = o.Factory.Getenv("TWOFA_SERVER")
	}
	if o.Client.Server == "" {
		return ErrGatewayServer
	}
	if err := checkServer(o.Client.Server); err != nil {
		return err
	}
	return o.SSH.resolve(o.Factory)
}

// runGateway serves until ctx ends, then tells every open session and
// shuts down.
func runGateway(ctx context.Context, o *GatewayOptions) error {
	c, closeDebug, err := o.Client.newClient(o.Factory, o.Client.Server)
	if err != nil {
		return o.Client.Words().Explain(err)
	}
	defer func() { _ = closeDebug() }()
	logger := slog.New(slog.NewTextHandler(o.Factory.IO.ErrOut, nil))
	front, err := o.SSH.startSSH(c, nil, logger)
	if err != nil {
		return err
	}
	select {
	case err := <-front.done:
		return fmt.Errorf("ssh: %w", err)
	case <-ctx.Done():
	}
	logger.Info("shutting down")
	return front.stop()
}
