package sshui

import (
	"net"
	"strings"
	"testing"
	"time"

	"github.com/twofa/twofa/internal/harness/vtterm"
	"golang.org/x/crypto/ssh/agent"
)

// TestRefusals: without a terminal, with a command or a subsystem, with
// forwarding of ports, the agent or X11, and with a second session on one
// connection, the front end refuses — with one line where the person can
// read one — and logs each connection's outcome.
func TestRefusals(t *testing.T) {
	f := startFront(t, nil)

	line, status := runOnce(t, f.dial(), "")
	if status != 1 || line != "twofa: this needs a terminal; connect again with ssh -t.\n\r" {
		t.Fatalf("shell without a terminal: status %d, stderr %q", status, line)
	}
	line, status = runOnce(t, f.dial(), "cat /etc/passwd")
	if status != 1 || !strings.HasPrefix(line, "twofa: this server runs no commands") {
		t.Fatalf("a command: status %d, stderr %q", status, line)
	}

	c := f.dial()
	sess, err := c.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	if err := sess.RequestSubsystem("sftp"); err == nil {
		t.Fatal("the sftp subsystem was granted")
	}
	_ = sess.Close()
	if conn, err := c.Dial("tcp", f.api.HTTP.Listener.Addr().String()); err == nil {
		_ = conn.Close()
		t.Fatal("local port forwarding (direct-tcpip) was granted")
	}
	if ln, err := c.Listen("tcp", "127.0.0.1:0"); err == nil {
		_ = ln.Close()
		t.Fatal("remote port forwarding (tcpip-forward) was granted")
	}

	c = f.dial()
	sess, err = c.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	if err := agent.RequestAgentForwarding(sess); err == nil {
		t.Fatal("agent forwarding was granted")
	}
	if ok, err := sess.SendRequest("x11-req", true, make([]byte, 16)); ok || err != nil {
		t.Fatalf("x11-req answered ok=%v err=%v, want refused", ok, err)
	}
	if _, err := c.NewSession(); err == nil {
		t.Fatal("a second session on one connection was opened")
	}
	_ = sess.Close()
	waitForLog(t, f, "outcome=\"refused: no pty\"")
	waitForLog(t, f, "outcome=\"refused: command\"")
}

// TestRateLimit: the fourth connection a minute from one address, with a
// rate of three, is told to wait — with the wait — and logged.
func TestRateLimit(t *testing.T) {
	f := startFront(t, func(o *Options) { o.RatePerMinute = 3 })
	for range 3 {
		openTerm(t, f.dial(), "xterm")
	}
	line, status := runOnce(t, f.dial(), "")
	if status != 1 || !strings.HasPrefix(line, "twofa: too many connections from your address; try again in 20 s.") {
		t.Fatalf("4th connection: status %d, stderr %q", status, line)
	}
	waitForLog(t, f, `outcome="refused: rate"`)
}

// TestMaxSessions: with room for two sessions, a third is refused with a
// line saying so, and a place comes free when a session ends.
func TestMaxSessions(t *testing.T) {
	f := startFront(t, func(o *Options) { o.MaxSessions = 2 })
	first := openTerm(t, f.dial(), "xterm")
	waitFor(t, first, "Sign in")
	second := openTerm(t, f.dial(), "xterm")
	waitFor(t, second, "Sign in")
	third := openTerm(t, f.dial(), "xterm")
	waitFor(t, third, "twofa: all 2 sessions are in use; try again in a few minutes.")
	<-third.Exited()
	if code, err := third.ExitCode(); code != 1 || err != nil {
		t.Fatalf("3rd session exited %d (%v), want 1", code, err)
	}
	send(t, first, "\x03")
	<-first.Exited()
	deadline := time.Now().Add(wait)
	for f.srv.Sessions() != 1 {
		if time.Now().After(deadline) {
			t.Fatalf("%d sessions open after one ended", f.srv.Sessions())
		}
		time.Sleep(10 * time.Millisecond)
	}
	waitFor(t, openTerm(t, f.dial(), "xterm"), "Sign in")
	waitForLog(t, f, `outcome="refused: full"`)
}

// TestIdleAndMaximumLength: a session without a key for the idle timeout
// ends with a line saying so; one that keeps typing ends at the maximum
// length, also said. Both leave the alternate screen first.
func TestIdleAndMaximumLength(t *testing.T) {
	f := startFront(t, func(o *Options) { o.IdleTimeout = 700 * time.Millisecond; o.MaxSession = 3 * time.Second })
	idle := openTerm(t, f.dial(), "xterm")
	waitFor(t, idle, "Sign in")
	busy := openTerm(t, f.dial(), "xterm")
	waitFor(t, busy, "Sign in")
	stop := make(chan struct{})
	go func() {
		for {
			select {
			case <-stop:
				return
			case <-time.After(200 * time.Millisecond):
				_ = busy.Send("x")
			}
		}
	}()
	defer close(stop)
	waitFor(t, idle, "twofa: no key pressed for 1 s; session ended. Connect again to go on.")
	waitFor(t, busy, "twofa: sessions last at most 3 s; session ended. Connect again to go on.")
	for _, vt := range []interface{ Mode() (bool, bool) }{idle, busy} {
		if alt, _ := vt.Mode(); alt {
			t.Fatal("the session ended on the alternate screen")
		}
	}
	waitForLog(t, f, `outcome="idle timeout"`)
	waitForLog(t, f, `outcome="maximum length"`)
}

// TestShutdownTellsSessions: Shutdown ends every open session with a line
// saying the server is shutting down, and Serve returns.
func TestShutdownTellsSessions(t *testing.T) {
	f := startFront(t, nil)
	vts := []*vtterm.Term{openTerm(t, f.dial(), "xterm"), openTerm(t, f.dial(), "xterm")}
	for _, vt := range vts {
		waitFor(t, vt, "Sign in")
	}
	go func() { _ = f.srv.Shutdown(t.Context()) }()
	for _, vt := range vts {
		waitFor(t, vt, "twofa: the server is shutting down; session ended. Connect again soon.")
		select {
		case <-vt.Exited():
		case <-time.After(wait):
			t.Fatal("a session stayed open after shutdown")
		}
	}
	select {
	case err := <-f.done:
		f.done <- err
		if err != nil {
			t.Fatalf("Serve after Shutdown: %v", err)
		}
	case <-time.After(wait):
		t.Fatal("Serve did not return after Shutdown")
	}
	if _, err := net.DialTimeout("tcp", f.addr, time.Second); err == nil {
		t.Fatal("still listening after Shutdown")
	}
}

// TestHandshakeDeadline: a connection that never completes the handshake,
// and one that completes it but opens no session, are dropped at the
// handshake timeout and logged.
func TestHandshakeDeadline(t *testing.T) {
	f := startFront(t, func(o *Options) { o.HandshakeTimeout = 300 * time.Millisecond })
	raw, err := net.Dial("tcp", f.addr)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	_ = raw.SetReadDeadline(time.Now().Add(wait))
	buf := make([]byte, 256)
	for {
		if _, err := raw.Read(buf); err != nil {
			break // closed by the server
		}
	}
	c := f.dial() // handshake done, no session asked for
	done := make(chan error, 1)
	go func() { done <- c.Wait() }()
	select {
	case <-done:
	case <-time.After(wait):
		t.Fatal("a connection without a session was kept past the handshake timeout")
	}
	waitForLog(t, f, `outcome="handshake failed"`)
	waitForLog(t, f, `outcome="no session"`)
}
