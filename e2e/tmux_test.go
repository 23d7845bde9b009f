package e2e

import (
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// tmuxPane is a tmux server of the test's own with one 80x24 pane.
type tmuxPane struct {
	t    *testing.T
	sock string
	env  []string
}

// newTmuxPane starts a tmux server on a socket of its own in the test's
// temporary directory (no config file) with one detached 80x24 pane
// running argv, which stays on screen after argv exits. It skips without
// tmux; the server is killed, and its socket removed, when the test ends.
func newTmuxPane(t *testing.T, env []string, argv ...string) *tmuxPane {
	t.Helper()
	if _, err := exec.LookPath("tmux"); err != nil {
		t.Skip("no tmux here: install tmux")
	}
	p := &tmuxPane{t: t, sock: filepath.Join(t.TempDir(), "tmux"), env: env}
	t.Cleanup(func() { _, _ = p.tmuxErr("kill-server") })
	p.tmux("new-session", "-d", "-s", "twofa", "-x", "80", "-y", "24", strings.Join(argv, " "))
	p.tmux("set-option", "-g", "remain-on-exit", "on")
	return p
}

func (p *tmuxPane) tmuxErr(args ...string) (string, error) {
	cmd := exec.Command("tmux", append([]string{"-S", p.sock, "-f", "/dev/null"}, args...)...)
	cmd.Env = p.env
	out, err := cmd.CombinedOutput()
	return string(out), err
}

// tmux runs a tmux command against the pane's server.
func (p *tmuxPane) tmux(args ...string) string {
	p.t.Helper()
	out, err := p.tmuxErr(args...)
	if err != nil {
		p.t.Fatalf("tmux %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return out
}

// keys types text literally, or sends a named key ("Enter", "C-c").
func (p *tmuxPane) keys(text string) { p.t.Helper(); p.tmux("send-keys", "-t", "twofa", "-l", text) }
func (p *tmuxPane) key(name string)  { p.t.Helper(); p.tmux("send-keys", "-t", "twofa", name) }

// waitFor waits until the pane shows every text and returns the pane.
func (p *tmuxPane) waitFor(texts ...string) string {
	p.t.Helper()
	deadline := time.Now().Add(wait)
	for {
		screen := p.tmux("capture-pane", "-p", "-t", "twofa")
		ok := true
		for _, text := range texts {
			ok = ok && strings.Contains(screen, text)
		}
		if ok {
			return screen
		}
		if time.Now().After(deadline) {
			p.t.Fatalf("the tmux pane never showed %q:\n%s", texts, screen)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

var manualKeyRE = regexp.MustCompile(`(?m)^ ((?:[A-Z2-7]{4} ){3}[A-Z2-7]{4})(?: |$)`)

// TestEndToEndSSHInTmux is the gateway as people meet it: `ssh -p PORT -o
// StrictHostKeyChecking=accept-new localhost` in an 80x24 tmux pane with
// set-clipboard on reaches Sign in of a gateway in front of `twofa serve`,
// the enable flow runs through it (the key read off the pane with k, a
// TOTP from it), and Copy all lands in tmux's paste buffer.
func TestEndToEndSSHInTmux(t *testing.T) {
	ssh := openSSH(t)
	r := startGatewayRun(t, "carol")
	user, password, srv, gw := r.user, r.password, r.srv, r.gw
	env, home := clientEnv(t)
	argv := append([]string{ssh}, gw.sshArgs(filepath.Join(home, "known_hosts"))...)
	pane := newTmuxPane(t, env, argv...)
	pane.tmux("set-option", "-s", "set-clipboard", "on")

	pane.waitFor("Sign in", "Username", "to "+srv.URL)
	pane.keys(user)
	pane.key("Enter")
	pane.keys(password)
	pane.key("Enter")
	pane.waitFor("Security", "· "+user, "memory only (this SSH session)")
	pane.keys("e")
	pane.waitFor("Step 1 of 5")
	pane.keys(password)
	pane.key("Enter")
	pane.waitFor("Step 2 of 5", "Account  "+user)
	pane.keys("k")
	screen := pane.waitFor("Manual entry key")
	var secret string
	for _, m := range manualKeyRE.FindAllStringSubmatch(screen, -1) {
		secret += strings.ReplaceAll(m[1], " ", "")
	}
	if len(secret) != 32 {
		t.Fatalf("no manual entry key in the pane:\n%s", screen)
	}
	pane.key("Enter")
	pane.waitFor("Step 3 of 5")
	pane.keys(codeAt(t, secret, stepAt(time.Now())))
	pane.key("Enter")
	screen = pane.waitFor("Step 4 of 5", "c Copy all")
	codes := make([]string, 10)
	for _, m := range backupCodeRE.FindAllStringSubmatch(screen, -1) {
		if n, err := strconv.Atoi(m[1]); err == nil && n >= 1 && n <= len(codes) {
			codes[n-1] = m[2]
		}
	}
	if slices.Contains(codes, "") {
		t.Fatalf("read backup codes %q off the pane:\n%s", codes, screen)
	}
	pane.keys("c")
	pane.waitFor("Sent to your terminal's clipboard")
	if got := pane.tmux("show-buffer"); !copiedCodes(got, codes) {
		t.Fatalf("tmux's paste buffer holds %q, want the header line and %q", got, codes)
	}
	pane.key("Enter")
	pane.waitFor("Step 5 of 5")
	pane.key("Enter")
	pane.waitFor("Two-factor authentication   On")
	pane.key("C-c")
	pane.waitFor("Connection to localhost closed.")
}
