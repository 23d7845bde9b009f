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
	dir := t.TempDir()
	home := filepath.Join(dir, "home")
	if err := os.MkdirAll(home, 0o700); err != nil {
		t.Fatal(err)
	}
	secretBytes := make([]byte, 48)
	if _, err := rand.Read(secretBytes); err != nil {
		t.Fatal(err)
	}
	env := serverEnv(home, base64.RawURLEncoding.EncodeToString(secretBytes))
	b := &backend{DSN: "sqlite:" + filepath.Join(dir, "twofa.db")}

	create := exec.Command(bin, "admin", "create-user", user, "--password-stdin", "--db", b.DSN)
	create.Env = env
	create.Stdin = strings.NewReader(password + "\n")
	if out, err := create.CombinedOutput(); err != nil {
		t.Fatalf("twofa admin create-user: %v\n%s", err, out)
	}

	serve := exec.Command(bin, "serve", "--addr", "127.0.0.1:0", "--db", b.DSN)
	serve.Env = env
	stderr, err := serve.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := serve.Start(); err != nil {
		t.Fatalf("start twofa serve: %v", err)
	}
	exited := make(chan struct{})
	var waitErr error
	urls := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stderr)
		sc.Buffer(make([]byte, 64<<10), 1<<20)
		for sc.Scan() {
			line := sc.Text()
			_, _ = b.log.Write([]byte(line + "\n"))
			if m := listenRE.FindStringSubmatch(line); m != nil {
				select {
				case urls <- m[1]:
				default:
				}
			}
		}
		waitErr = serve.Wait()
		close(exited)
	}()
	t.Cleanup(func() {
		_ = serve.Process.Signal(syscall.SIGINT)
		select {
		case <-exited:
		case <-time.After(5 * time.Second):
			_ = serve.Process.Kill()
			<-exited
		}
		if waitErr != nil {
			t.Errorf("twofa serve did not exit cleanly on SIGINT: %v", waitErr)
		}
		if t.Failed() {
			t.Logf("twofa serve log:\n%s", b.Log())
		}
	})
	select {
	case b.URL = <-urls:
	case <-exited:
		t.Fatalf("twofa serve exited before listening (%v):\n%s", waitErr, b.Log())
	case <-time.After(15 * time.Second):
		t.Fatalf("twofa serve did not report its address within 15 s:\n%s", b.Log())
	}
	return b
}

// String names the backend for messages.
func (b *backend) String() string { return fmt.Sprintf("twofa serve at %s", b.URL) }
