package sshui

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/twofa/twofa/client"
	"github.com/twofa/twofa/internal/harness/vtterm"
	"github.com/twofa/twofa/server/servertest"
	gossh "golang.org/x/crypto/ssh"
)

// wait bounds each wait for a screen.
const wait = 10 * time.Second

// front is an SSH front end under test, in front of a reference server on
// a temporary database, listening on 127.0.0.1.
type front struct {
	t    *testing.T
	srv  *Server
	api  *servertest.Server
	addr string
	key  HostKey
	log  *servertest.LogBuffer
	done chan error
}

// startFront starts the reference server and the front end; tune changes
// the front end's options first. Both stop when the test ends.
func startFront(t *testing.T, tune func(*Options)) *front {
	t.Helper()
	api := servertest.New(t, servertest.Options{})
	key, err := LoadHostKey(filepath.Join(t.TempDir(), HostKeyName))
	if err != nil {
		t.Fatal(err)
	}
	c, err := client.New(client.Options{Server: api.URL, UserAgentVersion: "test"})
	if err != nil {
		t.Fatal(err)
	}
	log := &servertest.LogBuffer{}
	opts := Options{Client: c, HostKey: key, Logger: slog.New(slog.NewTextHandler(log, nil))}
	if tune != nil {
		tune(&opts)
	}
	srv, err := New(opts)
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	f := &front{t: t, srv: srv, api: api, addr: ln.Addr().String(), key: key, log: log, done: make(chan error, 1)}
	go func() { f.done <- srv.Serve(ln) }()
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(ctx)
		<-f.done
		if t.Failed() {
			t.Logf("front end log:\n%s", log.String())
		}
	})
	return f
}

// dial connects as a client that knows the host key (any user name: the
// SSH layer authenticates no one).
func (f *front) dial() *gossh.Client {
	f.t.Helper()
	c, err := gossh.Dial("tcp", f.addr, &gossh.ClientConfig{
		User:            "anyone",
		HostKeyCallback: gossh.FixedHostKey(f.key.Signer.PublicKey()),
		Timeout:         wait,
	})
	if err != nil {
		f.t.Fatalf("ssh dial %s: %v", f.addr, err)
	}
	f.t.Cleanup(func() { _ = c.Close() })
	return c
}

// openTerm opens a session with an 80x24 terminal of type term and a shell
// on c, and keeps its screen.
func openTerm(t *testing.T, c *gossh.Client, term string) *vtterm.Term {
	t.Helper()
	return openTermWith(t, c, term, vtterm.Options{}, nil)
}

// openTermWith is openTerm with a terminal of opts (its colours, how late
// it answers queries) and the environment env sent first (ssh SendEnv).
func openTermWith(t *testing.T, c *gossh.Client, term string, opts vtterm.Options, env map[string]string) *vtterm.Term {
	t.Helper()
	sess, err := c.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range env {
		if err := sess.Setenv(k, v); err != nil {
			t.Fatalf("env %s: %v", k, err)
		}
	}
	if err := sess.RequestPty(term, vtterm.Rows, vtterm.Cols, gossh.TerminalModes{}); err != nil {
		t.Fatalf("pty-req: %v", err)
	}
	stream, err := vtterm.SSHStream(sess)
	if err != nil {
		t.Fatal(err)
	}
	if err := sess.Shell(); err != nil {
		t.Fatalf("shell: %v", err)
	}
	vt := vtterm.Attach(stream, opts)
	t.Cleanup(func() { _ = vt.Kill() })
	return vt
}

// waitFor waits until the screen shows every string, failing with it.
func waitFor(t *testing.T, vt *vtterm.Term, want ...string) string {
	t.Helper()
	screen, err := vt.WaitUntil(wait, func(s string) bool { return vtterm.ContainsAll(s, want) })
	if err != nil {
		t.Fatalf("waiting for %q: %v; screen:\n%s", want, err, vt.Screen())
	}
	return screen
}

// send types s.
func send(t *testing.T, vt *vtterm.Term, s string) {
	t.Helper()
	if err := vt.Send(s); err != nil {
		t.Fatal(err)
	}
}

// signIn signs user in from an empty Sign in screen (an account without
// 2FA) and waits for Security.
func signIn(t *testing.T, vt *vtterm.Term, user, password string) string {
	t.Helper()
	waitFor(t, vt, "Sign in", "Username", "Password")
	send(t, vt, user+"\r")
	send(t, vt, password+"\r")
	return waitFor(t, vt, "Security", "· "+user, "memory only (this SSH session)")
}

// runOnce runs a session without a terminal (cmd "" asks for a shell) and
// returns what it wrote to stderr and its exit status.
func runOnce(t *testing.T, c *gossh.Client, cmd string) (stderr string, status int) {
	t.Helper()
	sess, err := c.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	defer sess.Close()
	var errb strings.Builder
	sess.Stderr = &errb
	if cmd == "" {
		err = sess.Shell()
		if err == nil {
			err = sess.Wait()
		}
	} else {
		err = sess.Run(cmd)
	}
	var exit *gossh.ExitError
	switch {
	case err == nil:
		return errb.String(), 0
	case errors.As(err, &exit):
		return errb.String(), exit.ExitStatus()
	}
	t.Fatalf("session: %v", err)
	return "", 0
}
