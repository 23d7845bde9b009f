package app

import (
	"context"
	"crypto/rand"
	"fmt"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"github.com/spf13/cobra"
	"github.com/twofa/twofa/client"
	"github.com/twofa/twofa/internal/version"
	"github.com/twofa/twofa/keyring"
	"github.com/twofa/twofa/screens"
	"github.com/twofa/twofa/server"
	"github.com/twofa/twofa/session"
	"github.com/twofa/twofa/ui/words"
)

// DemoOptions are the inputs of `twofa demo`.
type DemoOptions struct {
	Factory *Factory
	// Username is the demo account's name.
	Username string
	// SSH, when set, serves the demo over SSH on this address instead of
	// opening the UI here, and prints the ssh command to try it.
	SSH string
	// Theme is --theme, for the UI opened here.
	Theme ThemeFlag
}

// NewCmdDemo returns `twofa demo`: the reference server in-process on a
// random loopback port with a throw-away database, and the terminal UI
// signed out against it.
func NewCmdDemo(f *Factory, runF func(*DemoOptions) error) *cobra.Command {
	opts := &DemoOptions{Factory: f, Username: "demo"}
	cmd := &cobra.Command{
		Use:   "demo",
		Short: "Try twofa against a throw-away server on this machine",
		Long: "Starts the reference server on 127.0.0.1 (random port, temporary SQLite database,\n" +
			"random secrets), creates a demo account whose username and password the sign-in\n" +
			"screen shows, and opens the terminal UI against it. Nothing is written to your\n" +
			"keyring or config file; everything is removed on exit.",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if runF != nil {
				return runF(opts)
			}
			return runDemo(cmd.Context(), opts)
		},
	}
	cmd.Flags().StringVar(&opts.SSH, "ssh", "", "serve the demo over SSH on this `address` instead, and print the ssh command to try it (--ssh alone: a random loopback port)")
	cmd.Flags().Lookup("ssh").NoOptDefVal = "127.0.0.1:0"
	opts.Theme.Register(cmd.Flags())
	return cmd
}

func runDemo(ctx context.Context, opts *DemoOptions) error {
	f := opts.Factory
	theme, err := opts.Theme.resolve(f)
	if err != nil {
		return err
	}
	if opts.SSH == "" {
		if err := requireTerminal(f); err != nil {
			return err
		}
	}
	if ctx == nil {
		ctx = context.Background()
	}
	demo, err := openDemo(ctx, opts.Username)
	if err != nil {
		return err
	}
	defer demo.close()
	if opts.SSH != "" {
		return runDemoSSH(ctx, opts, demo)
	}
	// Never the user's keyring or config file: memory, and nothing remembered.
	store := keyring.NewMemory(keyring.BackendMemory + " (demo)")
	env := &screens.Env{
		Sessions: session.New(demo.client, store, nil),
		Demo:     &demo.account,
	}
	return runTUI(ctx, f, env, words.Words{}, theme) // the demo's server is its own: no setting to point to
}

// demoBackend is the demo's throw-away reference server, its account and
// a client of it.
type demoBackend struct {
	dir     string
	client  *client.Client
	account screens.DemoAccount
	closers []func()
}

// close stops the server and removes its files, last opened first.
func (d *demoBackend) close() {
	for i := len(d.closers) - 1; i >= 0; i-- {
		d.closers[i]()
	}
}

// openDemo starts the reference server on a random loopback port with a
// temporary SQLite database and random secrets, and creates the account.
func openDemo(ctx context.Context, username string) (_ *demoBackend, err error) {
	dir, err := os.MkdirTemp("", "twofa-demo-")
	if err != nil {
		return nil, fmt.Errorf("demo: temporary directory: %w", err)
	}
	d := &demoBackend{dir: dir, closers: []func(){func() { _ = os.RemoveAll(dir) }}}
	defer func() {
		if err != nil {
			d.close()
		}
	}()
	srv, err := server.Open(ctx, server.Options{
		DSN:       "sqlite:" + filepath.Join(dir, "demo.db"),
		JWTSecret: randomString(48),
	})
	if err != nil {
		return nil, fmt.Errorf("demo: start server: %w", err)
	}
	d.closers = append(d.closers, func() { _ = srv.Close() })
	d.account = screens.DemoAccount{Username: username, Password: randomString(12)}
	if _, err := srv.CreateUser(ctx, username, d.account.Password, "user"); err != nil {
		return nil, fmt.Errorf("demo: create account: %w", err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("demo: listen: %w", err)
	}
	hs := &http.Server{Handler: srv.Handler(), ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = hs.Serve(ln) }()
	d.closers = append(d.closers, func() {
		sctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		_ = hs.Shutdown(sctx)
	})
	d.client, err = client.New(client.Options{
		Server:           "http://" + ln.Addr().String(),
		UserAgentVersion: version.String(),
	})
	if err != nil {
		return nil, fmt.Errorf("demo: client: %w", err)
	}
	return d, nil
}

// randomString returns n characters of lower-case Crockford base32 (32
// symbols, so a random byte maps to one without bias: 5 bits each).
func randomString(n int) string {
	const alphabet = "0123456789abcdefghjkmnpqrstvwxyz"
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic(fmt.Sprintf("crypto/rand: %v", err)) // never fails on supported platforms
	}
	for i := range b {
		b[i] = alphabet[int(b[i])%len(alphabet)]
	}
	return string(b)
}
