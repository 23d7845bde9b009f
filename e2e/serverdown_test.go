package e2e

import (
	"net"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/twofa/twofa/server/servertest"
)

// serveAt starts `twofa serve` on addr (127.0.0.1:0 for any free port) with
// env and database dsn, and returns its URL and a stop that ends it with
// SIGINT and waits until nothing listens there.
func serveAt(t *testing.T, bin string, env []string, dsn, addr string) (url string, stop func()) {
	t.Helper()
	serve := exec.Command(bin, "serve", "--addr", addr, "--db", dsn)
	serve.Env = env
	var log servertest.LogBuffer
	url = startDaemon(t, serve, &log, listenRE)[1]
	host := strings.TrimPrefix(url, "http://")
	return url, func() {
		_ = serve.Process.Signal(syscall.SIGINT)
		deadline := time.Now().Add(10 * time.Second)
		for time.Now().Before(deadline) {
			c, err := net.DialTimeout("tcp", host, 200*time.Millisecond)
			if err != nil {
				return
			}
			_ = c.Close()
			time.Sleep(50 * time.Millisecond)
		}
		t.Fatalf("twofa serve still listens at %s after SIGINT", host)
	}
}

// TestEndToEndServerStartedAfterUI: the session stored by a first run is
// kept when the server is down as the UI starts — a calm "Cannot reach the
// server" screen counts down to its next try — and once the server is up
// again at the same address the UI picks it up on its own, back on
// Security with no new sign-in.
func TestEndToEndServerStartedAfterUI(t *testing.T) {
	bin := buildBinary(t)
	const user = "robin"
	password := "pw-" + randomText(t, 12)
	senv, dsn := accountDB(t, bin, user, password)
	url, stop := serveAt(t, bin, senv, dsn, "127.0.0.1:0")
	env, _ := clientEnv(t)
	sessionStore(t, url, user)

	term := startTerminal(t, bin, darkTerminal, []string{"--server", url}, env)
	screen := firstSignIn(t, term, url, user, password)
	if storedInRE.FindStringSubmatch(screen)[1] != "kernel keyring" {
		t.Skip("no kernel keyring here: a session is kept in memory only, so there is none to resume")
	}
	quit(t, term)

	stop()
	term = startTerminal(t, bin, darkTerminal, []string{"--server", url}, env)
	down := term.WaitFor(wait, "Cannot reach the server", "saved session for "+user+" is kept", "Trying again in")
	if strings.Contains(down, "Password") {
		t.Fatalf("the server being down shows Sign in:\n%s", down)
	}
	// r tries at once, and the server is still down.
	term.Send("r")
	term.WaitFor(wait, "2 attempts so far")

	_, _ = serveAt(t, bin, senv, dsn, strings.TrimPrefix(url, "http://"))
	// The back-off after two tries is 4 s, then 8 s: within 15 s it is back.
	term.WaitUntil("Security, resumed without a sign-in", 15*time.Second, func(s string) bool {
		return twoFAOffRE.MatchString(s) && strings.Contains(s, "· "+user) && !strings.Contains(s, "Password")
	})
	quit(t, term)
}
