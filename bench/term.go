package main

import (
	"fmt"
	"net"
	"sync/atomic"
	"time"

	"github.com/twofa/twofa/internal/harness/vtterm"
	gossh "golang.org/x/crypto/ssh"
)

// Term is a program running in an 80x24 pseudo-terminal (see
// internal/harness/vtterm) that answers the colour queries like xterm, plus the
// waits the measurements need: for the screen to be complete and for the
// output to go quiet.
type Term struct {
	*vtterm.Term
}

// StartTerm starts bin with args and env in an 80x24 pseudo-terminal. The
// start time is taken immediately before the fork.
func StartTerm(bin string, args, env []string) (*Term, error) {
	t, err := vtterm.Start(bin, args, env, vtterm.Options{Palette: &vtterm.Dark})
	if err != nil {
		return nil, err
	}
	return &Term{t}, nil
}

// WaitDrawn waits until every want string is on screen and no output has
// arrived for quiet, then returns the time from process start to the last
// output before that quiet spell: the moment the screen was complete.
func (t *Term) WaitDrawn(want []string, quiet, timeout time.Duration) (time.Duration, error) {
	deadline := time.Now().Add(timeout)
	for {
		last := t.LastOutput()
		if time.Since(last) >= quiet && vtterm.ContainsAll(t.Screen(), want) {
			// Re-check that nothing arrived between the two reads.
			if t.LastOutput().Equal(last) {
				return last.Sub(t.Started()), nil
			}
		}
		select {
		case <-t.Drained():
			if vtterm.ContainsAll(t.Screen(), want) {
				return t.LastOutput().Sub(t.Started()), nil
			}
			return 0, fmt.Errorf("program exited before drawing %q; screen:\n%s", want, t.Screen())
		default:
		}
		if time.Now().After(deadline) {
			return 0, fmt.Errorf("timed out after %s waiting for %q; screen:\n%s", timeout, want, t.Screen())
		}
		time.Sleep(2 * time.Millisecond)
	}
}

// WaitQuiet waits until no output has arrived for quiet.
func (t *Term) WaitQuiet(quiet, timeout time.Duration) error {
	_, err := t.WaitDrawn(nil, quiet, timeout)
	return err
}

// WaitOutput waits until the program has written more than before bytes in
// total; it reports false when nothing came within timeout.
func (t *Term) WaitOutput(before int, timeout time.Duration) bool {
	deadline := time.Now().Add(timeout)
	for time.Now().Before(deadline) {
		if t.Bytes() > before {
			return true
		}
		time.Sleep(time.Millisecond)
	}
	return false
}

// sshTerm is one SSH connection to the gateway with an 80x24 terminal, and
// the bytes its TCP connection has carried to the client.
type sshTerm struct {
	*Term
	client *gossh.Client
	wire   *countingConn
}

// dial connects to the gateway with x/crypto/ssh, asks for an 80x24
// xterm-256color terminal and a shell, and keeps its screen.
func (g *gatewayProc) dial() (*sshTerm, error) {
	raw, err := net.DialTimeout("tcp", g.Addr, 5*time.Second)
	if err != nil {
		return nil, fmt.Errorf("dial the gateway: %w", err)
	}
	wire := &countingConn{Conn: raw}
	conn, chans, reqs, err := gossh.NewClientConn(wire, g.Addr, &gossh.ClientConfig{User: "bench", HostKeyCallback: gossh.FixedHostKey(g.hostKey)})
	if err != nil {
		raw.Close()
		return nil, fmt.Errorf("ssh handshake: %w", err)
	}
	c := gossh.NewClient(conn, chans, reqs)
	sess, err := c.NewSession()
	if err == nil {
		var stream vtterm.Stream
		if stream, err = vtterm.SSHStream(sess); err == nil {
			if err = sess.RequestPty("xterm-256color", vtterm.Rows, vtterm.Cols, gossh.TerminalModes{}); err == nil {
				if err = sess.Shell(); err == nil {
					return &sshTerm{Term: &Term{vtterm.Attach(stream, vtterm.Options{Palette: &vtterm.Dark})}, client: c, wire: wire}, nil
				}
			}
		}
	}
	c.Close()
	return nil, fmt.Errorf("ssh session: %w", err)
}

// Close ends the connection.
func (s *sshTerm) Close() { _ = s.Term.Kill(); _ = s.client.Close() }

// countingConn counts the bytes read from a connection: what the network
// carried to the client, SSH framing, encryption and MACs included.
type countingConn struct {
	net.Conn
	read atomic.Int64
}

// Read reads and counts.
func (c *countingConn) Read(p []byte) (int, error) {
	n, err := c.Conn.Read(p)
	c.read.Add(int64(n))
	return n, err
}
