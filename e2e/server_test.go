package e2e

import (
	"bufio"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/twofa/twofa/server/servertest"
)

// backend is a running `twofa serve` on 127.0.0.1.
type backend struct {
	URL string
	DSN string

	log servertest.LogBuffer // the server's stderr (request log)
}

// Log returns what the server has written to stderr so far.
func (b *backend) Log() string {
	return b.log.String()
}

// randomText returns n random bytes, hex-encoded.
func randomText(t *testing.T, n int) string {
	t.Helper()
	buf := make([]byte, n)
	if _, err := rand.Read(buf); err != nil {
		t.Fatalf("random: %v", err)
	}
	return hex.EncodeToString(buf)
}

// serverEnv is the environment of every server-side command: a random JWT
// secret and a HOME inside the test's temporary directory.
func serverEnv(home, jwtSecret string) []string {
	return []string{
		"HOME=" + home,
		"PATH=" + os.Getenv("PATH"),
		"JWT_SECRET=" + jwtSecret,
	}
}

// listenRE finds the bound URL in the server's start-up log line.
var listenRE = regexp.MustCompile(`url=(http://127\.0\.0\.1:\d+)`)

// startBackend creates the account user/password with `twofa admin
// create-user` in a fresh SQLite database, then starts `twofa serve` on a
// free port of 127.0.0.1 and waits until it listens. The server is stopped
// (SIGINT, then killed) when the test ends.
func startBackend(t *testing.T, bin, user, password string) *backend {
	t.Helper()
	env, dsn := accountDB(t, bin, user, password)
	b := &backend{DSN: dsn}

	serve := exec.Command(bin, "serve", "--addr", "127.0.0.1:0", "--db", b.DSN)
	serve.Env = env
	b.URL = startDaemon(t, serve, &b.log, listenRE)[1]
	return b
}

// startDaemon starts cmd, copies its stderr into log, and waits until a
// line matches ready, whose submatches it returns. The daemon is stopped
// (SIGINT, then killed) when the test ends, and must exit cleanly.
func startDaemon(t *testing.T, cmd *exec.Cmd, log *servertest.LogBuffer, ready *regexp.Regexp) []string {
	t.Helper()
	name := filepath.Base(cmd.Path) + " " + strings.Join(cmd.Args[1:2], "")
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatalf("start %s: %v", name, err)
	}
	exited := make(chan struct{})
	var waitErr error
	matches := make(chan []string, 1)
	go func() {
		sc := bufio.NewScanner(stderr)
		sc.Buffer(make([]byte, 64<<10), 1<<20)
		for sc.Scan() {
			line := sc.Text()
			_, _ = log.Write([]byte(line + "\n"))
			if m := ready.FindStringSubmatch(line); m != nil {
				select {
				case matches <- m:
				default:
				}
			}
		}
		waitErr = cmd.Wait()
		close(exited)
	}()
	t.Cleanup(func() {
		_ = cmd.Process.Signal(syscall.SIGINT)
		select {
		case <-exited:
		case <-time.After(15 * time.Second):
			_ = cmd.Process.Kill()
			<-exited
		}
		if waitErr != nil {
			t.Errorf("%s did not exit cleanly on SIGINT: %v", name, waitErr)
		}
		if t.Failed() {
			t.Logf("%s log:\n%s", name, log.String())
		}
	})
	select {
	case m := <-matches:
		return m
	case <-exited:
		t.Fatalf("%s exited before it was ready (%v):\n%s", name, waitErr, log.String())
	case <-time.After(15 * time.Second):
		t.Fatalf("%s was not ready within 15 s:\n%s", name, log.String())
	}
	return nil
}

// String names the backend for messages.
func (b *backend) String() string { return fmt.Sprintf("twofa serve at %s", b.URL) }

// accountDB creates the account user/password with `twofa admin
// create-user` in a fresh SQLite database, and returns the server-side
// environment (a random JWT secret, a HOME of its own) and the database.
func accountDB(t *testing.T, bin, user, password string) (env []string, dsn string) {
	t.Helper()
	dir := t.TempDir()
	home := filepath.Join(dir, "home")
	if err := os.MkdirAll(home, 0o700); err != nil {
		t.Fatal(err)
	}
	secretBytes := make([]byte, 48)
	if _, err := rand.Read(secretBytes); err != nil {
		t.Fatal(err)
	}
	env = serverEnv(home, base64.RawURLEncoding.EncodeToString(secretBytes))
	dsn = "sqlite:" + filepath.Join(dir, "twofa.db")
	create := exec.Command(bin, "admin", "create-user", user, "--password-stdin", "--db", dsn)
	create.Env = env
	create.Stdin = strings.NewReader(password + "\n")
	if out, err := create.CombinedOutput(); err != nil {
		t.Fatalf("twofa admin create-user: %v\n%s", err, out)
	}
	return env, dsn
}
