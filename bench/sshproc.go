package main

import (
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync/atomic"
	"time"

	"github.com/twofa/twofa/internal/harness/vtterm"
	gossh "golang.org/x/crypto/ssh"
)

// gatewayProc is a `twofa gateway` subprocess on a loopback port; Pid and
// Stop (SIGTERM: it tells open sessions) are the process's.
type gatewayProc struct {
	*serverProc
	Addr    string
	hostKey gossh.PublicKey
}

// startGateway runs `twofa gateway` in front of serverURL, with room for
// sessions sessions from this one address, and waits until it listens.
func startGateway(bin, serverURL, dir string, sessions int) (*gatewayProc, error) {
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	addr := fmt.Sprintf("127.0.0.1:%d", port)
	logf, err := os.Create(filepath.Join(dir, fmt.Sprintf("gateway-%d.log", port)))
	if err != nil {
		return nil, fmt.Errorf("create gateway log: %w", err)
	}
	n := fmt.Sprint(sessions)
	cmd := exec.Command(bin, "gateway", "--ssh", addr, "--server", serverURL, "--ssh-max-sessions", n, "--ssh-rate", n)
	cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + dir}
	proc, err := startProc(cmd, logf)
	if err != nil {
		return nil, err
	}
	g := &gatewayProc{serverProc: proc, Addr: addr}
	if err := g.waitReady(filepath.Join(dir, ".local", "share", "twofa", "ssh_host_ed25519_key"), 20*time.Second); err != nil {
		g.Stop()
		out, _ := os.ReadFile(logf.Name())
		return nil, fmt.Errorf("%w; gateway output:\n%s", err, out)
	}
	return g, nil
}

// waitReady waits until the gateway's log says it listens, then reads its
// host key, which clients then check.
func (g *gatewayProc) waitReady(keyPath string, timeout time.Duration) error {
	deadline := time.Now().Add(timeout)
	for {
		select {
		case err := <-g.done:
			g.done <- err
			return fmt.Errorf("twofa gateway exited early: %v", err)
		default:
		}
		if out, _ := os.ReadFile(g.log.Name()); strings.Contains(string(out), "twofa ssh listening") {
			break
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("twofa gateway did not listen within %s", timeout)
		}
		time.Sleep(20 * time.Millisecond)
	}
	pem, err := os.ReadFile(keyPath)
	if err != nil {
		return fmt.Errorf("read the gateway's host key: %w", err)
	}
	signer, err := gossh.ParsePrivateKey(pem)
	if err != nil {
		return fmt.Errorf("parse the gateway's host key: %w", err)
	}
	g.hostKey = signer.PublicKey()
	return nil
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
