package e2e

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// openSSH returns the OpenSSH client, skipping the test without one (CI
// installs it: .ci/run).
func openSSH(t *testing.T) string {
	t.Helper()
	path, err := exec.LookPath("ssh")
	if err != nil {
		t.Skip("no OpenSSH client (ssh) here: install openssh-client")
	}
	return path
}

// sshArgs is the command line that reaches the gateway, trusting its host
// key on first use into knownHosts, as the README tells people to.
func (g *sshGateway) sshArgs(knownHosts string) []string {
	return []string{"-p", g.Port, "-o", "StrictHostKeyChecking=accept-new", "-o", "UserKnownHostsFile=" + knownHosts,
		"-o", "ControlPath=none", "-F", "/dev/null", "localhost"}
}

// TestEndToEndOpenSSH: the real OpenSSH client in an 80x24 pseudo-terminal
// reaches the real gateway in front of `twofa serve`: the host key is
// trusted on first use, the whole enable flow runs through it — the QR
// code decoded off the screen ssh relays, the backup codes copied to this
// terminal's clipboard through ssh — and Ctrl+C ends the connection,
// leaving the terminal as it was.
func TestEndToEndOpenSSH(t *testing.T) {
	ssh := openSSH(t)
	r := startGatewayRun(t, "bob")
	user, password, srv, gw := r.user, r.password, r.srv, r.gw
	env, home := clientEnv(t)
	knownHosts := filepath.Join(home, "known_hosts")

	term := startTerminal(t, ssh, darkTerminal, gw.sshArgs(knownHosts), env)
	firstSignIn(t, term, srv.URL, user, password)
	en := enableToCodes(t, term, user, password)
	term.Send("c")
	term.WaitFor(wait, "Sent to your terminal's clipboard (OSC 52)")
	if got, _ := term.vt.Clipboard(); !copiedCodes(got, en.backup) {
		t.Fatalf("the terminal's clipboard holds %q, want the %d codes", got, len(en.backup))
	}
	term.Send(keyEnter)
	term.WaitFor(wait, "Step 5 of 5")
	term.Send(keyEnter)
	term.WaitUntil("Security with 2FA on", wait, func(s string) bool { return twoFAOnRE.MatchString(s) })
	quit(t, term) // ssh gives its terminal back as it found it
	term.WaitFor(wait, "Connection to localhost closed.")
	expectNoCodesLeftOnScreen(t, term, en.backup)

	data, err := os.ReadFile(knownHosts)
	if err != nil || !strings.Contains(string(data), "[localhost]:"+gw.Port+" ssh-ed25519 ") {
		t.Fatalf("known_hosts after accept-new: %q (%v)", data, err)
	}
	// Known now: a second connection goes straight to Sign in.
	again := startTerminal(t, ssh, lightTerminal, gw.sshArgs(knownHosts), env)
	again.WaitFor(wait, "Sign in", "Username")
	if strings.Contains(again.Screen(), "Permanently added") {
		t.Fatal("the host key was added again on the second connection")
	}
	quit(t, again)
	waitLog(t, gw, 2, "outcome=closed")
}
