package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	gossh "golang.org/x/crypto/ssh"
)

// proc is a twofa subprocess on a loopback port, its output in a log file.
type proc struct {
	cmd  *exec.Cmd
	what string // "twofa serve", for messages
	Addr string // 127.0.0.1:PORT
	log  *os.File
	done chan error
}

// startProc runs `bin command args(addr)…` with HOME=dir and env, on a free
// loopback port, its output to dir/command-PORT.log; ready (asked until it
// returns nil, for 20 s at most) says when it serves.
func startProc(bin, dir, command string, args func(addr string) []string, env []string, ready func(*proc) error) (*proc, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("find a free port: %w", err)
	}
	addr := l.Addr().String()
	l.Close()
	logf, err := os.Create(filepath.Join(dir, fmt.Sprintf("%s-%d.log", command, l.Addr().(*net.TCPAddr).Port)))
	if err != nil {
		return nil, fmt.Errorf("create the %s log: %w", command, err)
	}
	cmd := exec.Command(bin, append([]string{command}, args(addr)...)...)
	cmd.Env = append([]string{"PATH=" + os.Getenv("PATH"), "HOME=" + dir}, env...)
	cmd.Stdout, cmd.Stderr = logf, logf
	p := &proc{cmd: cmd, what: "twofa " + command, Addr: addr, log: logf, done: make(chan error, 1)}
	if err := cmd.Start(); err != nil {
		logf.Close()
		return nil, fmt.Errorf("start %s: %w", p.what, err)
	}
	go func() { p.done <- cmd.Wait() }()
	const timeout = 20 * time.Second
	for deadline := time.Now().Add(timeout); ; time.Sleep(20 * time.Millisecond) {
		err := p.exited()
		if err == nil {
			if err = ready(p); err == nil {
				return p, nil
			}
			if time.Now().Before(deadline) {
				continue
			}
			err = fmt.Errorf("%s not ready within %s: %w", p.what, timeout, err)
		}
		p.Stop()
		out, _ := os.ReadFile(logf.Name())
		return nil, fmt.Errorf("%w; its output:\n%s", err, out)
	}
}

// exited returns an error once the process has exited, nil while it runs.
func (p *proc) exited() error {
	select {
	case err := <-p.done:
		p.done <- err
		return fmt.Errorf("%s exited: %v", p.what, err)
	default:
		return nil
	}
}

// URL is the process's address as an http:// URL.
func (p *proc) URL() string { return "http://" + p.Addr }

// Pid returns the process id.
func (p *proc) Pid() int { return p.cmd.Process.Pid }

// Stop asks the process to shut down (SIGTERM) and kills it if it lingers.
func (p *proc) Stop() {
	_ = p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case err := <-p.done:
		p.done <- err
	case <-time.After(5 * time.Second):
		_ = p.cmd.Process.Kill()
	}
	p.log.Close()
}

// logTail returns the last n lines the process wrote to its log.
func (p *proc) logTail(n int) string {
	b, err := os.ReadFile(p.log.Name())
	if err != nil {
		return ""
	}
	lines := strings.Split(strings.TrimRight(string(b), "\n"), "\n")
	return strings.Join(lines[max(0, len(lines)-n):], "\n")
}

// startServer runs `twofa serve` on dsn and waits until it answers
// /api/health through the client.
func startServer(bin, dsn, jwtSecret, dir string) (*proc, error) {
	return startProc(bin, dir, "serve", func(addr string) []string {
		return []string{"--addr", addr, "--db", dsn}
	}, []string{"JWT_SECRET=" + jwtSecret}, func(p *proc) error {
		users, err := newUsers(p.URL(), 1)
		if err != nil {
			return err
		}
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		_, err = users[0].Health(ctx)
		return err
	})
}

// gatewayProc is a `twofa gateway` subprocess and the host key its clients check.
type gatewayProc struct {
	*proc
	hostKey gossh.PublicKey
}

// startGateway runs `twofa gateway` in front of serverURL, with room for
// sessions sessions from this one address, waits until its log says it
// listens, and reads its host key.
func startGateway(bin, serverURL, dir string, sessions int) (*gatewayProc, error) {
	n := fmt.Sprint(sessions)
	p, err := startProc(bin, dir, "gateway", func(addr string) []string {
		return []string{"--ssh", addr, "--server", serverURL, "--ssh-max-sessions", n, "--ssh-rate", n}
	}, nil, func(p *proc) error {
		if out, _ := os.ReadFile(p.log.Name()); !strings.Contains(string(out), "twofa ssh listening") {
			return errors.New("it does not listen yet")
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	pem, err := os.ReadFile(filepath.Join(dir, ".local", "share", "twofa", "ssh_host_ed25519_key"))
	if err == nil {
		var signer gossh.Signer
		if signer, err = gossh.ParsePrivateKey(pem); err == nil {
			return &gatewayProc{proc: p, hostKey: signer.PublicKey()}, nil
		}
	}
	p.Stop()
	return nil, fmt.Errorf("the gateway's host key: %w", err)
}
