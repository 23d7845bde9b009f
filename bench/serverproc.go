package main

import (
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"time"
)

// serverProc is a `twofa serve` subprocess on a loopback port.
type serverProc struct {
	cmd  *exec.Cmd
	URL  string // http://127.0.0.1:PORT
	log  *os.File
	done chan error
}

// freePort asks the kernel for an unused loopback port.
func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("find a free port: %w", err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// startServer runs `twofa serve` on dsn and waits until it answers.
func startServer(bin, dsn, jwtSecret, dir string) (*serverProc, error) {
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	addr := fmt.Sprintf("127.0.0.1:%d", port)
	logf, err := os.Create(filepath.Join(dir, fmt.Sprintf("serve-%d.log", port)))
	if err != nil {
		return nil, fmt.Errorf("create server log: %w", err)
	}
	cmd := exec.Command(bin, "serve", "--addr", addr, "--db", dsn)
	cmd.Env = []string{
		"PATH=" + os.Getenv("PATH"),
		"HOME=" + dir,
		"JWT_SECRET=" + jwtSecret,
	}
	s, err := startProc(cmd, logf)
	if err != nil {
		return nil, err
	}
	s.URL = "http://" + addr
	if err := s.waitReady(20 * time.Second); err != nil {
		s.Stop()
		log, _ := os.ReadFile(logf.Name())
		return nil, fmt.Errorf("%w; server output:\n%s", err, log)
	}
	return s, nil
}

// startProc starts cmd with its output to logf, which it closes if cmd
// cannot start.
func startProc(cmd *exec.Cmd, logf *os.File) (*serverProc, error) {
	cmd.Stdout = logf
	cmd.Stderr = logf
	if err := cmd.Start(); err != nil {
		logf.Close()
		return nil, fmt.Errorf("start %s: %w", strings.Join(cmd.Args[:2], " "), err)
	}
	s := &serverProc{cmd: cmd, log: logf, done: make(chan error, 1)}
	go func() { s.done <- cmd.Wait() }()
	return s, nil
}

// waitReady asks for /api/health through the client until it answers.
func (s *serverProc) waitReady(timeout time.Duration) error {
	users, err := newUsers(s.URL, 1)
	if err != nil {
		return err
	}
	deadline := time.Now().Add(timeout)
	for {
		select {
		case err := <-s.done:
			s.done <- err
			return fmt.Errorf("twofa serve exited early: %v", err)
		default:
		}
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		_, err := users[0].Health(ctx)
		cancel()
		if err == nil {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("twofa serve did not answer /api/health within %s: %w", timeout, err)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// Pid returns the server's process id.
func (s *serverProc) Pid() int { return s.cmd.Process.Pid }

// Stop asks the server to shut down (SIGTERM) and kills it if it lingers.
func (s *serverProc) Stop() {
	_ = s.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case err := <-s.done:
		s.done <- err
	case <-time.After(5 * time.Second):
		_ = s.cmd.Process.Kill()
	}
	s.log.Close()
}

// logTail returns the last n lines the server wrote to its log.
func (s *serverProc) logTail(n int) string {
	b, err := os.ReadFile(s.log.Name())
	if err != nil {
		return ""
	}
	lines := strings.Split(strings.TrimRight(string(b), "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}
