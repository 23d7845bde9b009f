package e2e

import (
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/twofa/twofa/internal/harness/vtterm"
	"github.com/twofa/twofa/server/servertest"
	gossh "golang.org/x/crypto/ssh"
)

// sshGateway is a running `twofa gateway` on 127.0.0.1.
type sshGateway struct {
	Port        string
	Fingerprint string
	HostKey     string
	log         servertest.LogBuffer
}

// sshListenRE finds the port and host key fingerprint in the gateway's
// start-up log line.
var sshListenRE = regexp.MustCompile(`msg="twofa ssh listening" addr=127\.0\.0\.1:(\d+) .*host_key=(\S+) .*fingerprint=(SHA256:\S+)`)

// startGateway starts `twofa gateway --ssh 127.0.0.1:0` in front of
// server, its host key created in a fresh data directory.
func startGateway(t *testing.T, bin, server string) *sshGateway {
	t.Helper()
	home := t.TempDir()
	g := &sshGateway{}
	cmd := exec.Command(bin, "gateway", "--ssh", "127.0.0.1:0", "--server", server)
	cmd.Env = []string{"HOME=" + home, "PATH=" + os.Getenv("PATH")}
	m := startDaemon(t, cmd, &g.log, sshListenRE)
	g.Port, g.HostKey, g.Fingerprint = m[1], m[2], m[3]
	if want := filepath.Join(home, ".local", "share", "twofa", "ssh_host_ed25519_key"); g.HostKey != want {
		t.Fatalf("host key at %s, want %s", g.HostKey, want)
	}
	if info, err := os.Stat(g.HostKey); err != nil || info.Mode().Perm() != 0o600 {
		t.Fatalf("host key %s: %v %v, want mode 0600", g.HostKey, info.Mode().Perm(), err)
	}
	return g
}

// gatewayRun is a `twofa serve` with one account and a `twofa gateway` in
// front of it, both the real binary.
type gatewayRun struct {
	user, password string
	srv            *backend
	gw             *sshGateway
}

// startGatewayRun builds twofa, creates user with a random password in a
// fresh `twofa serve` and starts a gateway in front of it.
func startGatewayRun(t *testing.T, user string) gatewayRun {
	t.Helper()
	bin := buildBinary(t)
	r := gatewayRun{user: user, password: "pw-" + randomText(t, 12)}
	r.srv = startBackend(t, bin, user, r.password)
	r.gw = startGateway(t, bin, r.srv.URL)
	return r
}

// Log is what the gateway has logged.
func (g *sshGateway) Log() string { return g.log.String() }

// dialTerminal connects with x/crypto/ssh, checking the host key against
// the fingerprint the gateway printed, asks for an 80x24 xterm-256color
// terminal and a shell, and keeps its screen.
func (g *sshGateway) dialTerminal(t *testing.T, pal palette) *terminal {
	t.Helper()
	c, err := gossh.Dial("tcp", "127.0.0.1:"+g.Port, &gossh.ClientConfig{
		User: "nobody-in-particular",
		HostKeyCallback: func(_ string, _ net.Addr, key gossh.PublicKey) error {
			if got := gossh.FingerprintSHA256(key); got != g.Fingerprint {
				t.Errorf("host key %s, the gateway printed %s", got, g.Fingerprint)
				return gossh.ErrNoAuth
			}
			return nil
		},
		Timeout: wait,
	})
	if err != nil {
		t.Fatalf("ssh to the gateway: %v", err)
	}
	t.Cleanup(func() { _ = c.Close() })
	sess, err := c.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	stream, err := vtterm.SSHStream(sess)
	if err != nil {
		t.Fatal(err)
	}
	if err := sess.RequestPty("xterm-256color", termRows, termCols, gossh.TerminalModes{}); err != nil {
		t.Fatalf("pty-req: %v", err)
	}
	if err := sess.Shell(); err != nil {
		t.Fatalf("shell: %v", err)
	}
	vt := vtterm.Attach(stream, vtterm.Options{Palette: &vtterm.Palette{FG: pal.fg, BG: pal.bg}})
	t.Cleanup(func() { _ = vt.Kill() })
	return &terminal{t: t, vt: vt, pal: pal}
}

// TestEndToEndSSHEnable: the real `twofa gateway` in front of the real
// `twofa serve`, reached with x/crypto/ssh asking for a PTY: sign in, the
// whole enable flow through the SSH channel — the QR code decoded off the
// screen, a TOTP computed from it, the backup codes shown, copied to the
// terminal's clipboard (no Download .txt: the gateway's disk is not the
// person's) — then a second connection signs in with a TOTP. The gateway
// logs each connection with its user and no secret.
func TestEndToEndSSHEnable(t *testing.T) {
	r := startGatewayRun(t, "alice")
	user, password, srv, gw := r.user, r.password, r.srv, r.gw

	term := gw.dialTerminal(t, darkTerminal)
	screen := firstSignIn(t, term, srv.URL, user, password)
	if !strings.Contains(screen, "memory only (this SSH session)") {
		term.Dump("Security")
		t.Fatal("Security does not say the session is kept in this SSH session's memory only")
	}
	en := enableToCodes(t, term, user, password)
	screen = term.WaitFor(wait, "c Copy all", "I've saved these codes")
	if strings.Contains(screen, "Download") {
		term.Dump("backup codes")
		t.Fatal("Download .txt is offered over SSH")
	}
	term.Send("d") // does nothing here
	term.Send(keyEnter)
	term.WaitFor(wait, "You have not copied these codes.", "Continue anyway?")
	term.Send("n")
	term.Send("c")
	term.WaitFor(wait, "Sent to your terminal's clipboard (OSC 52)", "or write them down.")
	if got, _ := term.vt.Clipboard(); !copiedCodes(got, en.backup) {
		t.Fatalf("the terminal's clipboard holds %q, want the %d codes", got, len(en.backup))
	}
	term.Send(keyEnter)
	term.WaitFor(wait, "Step 5 of 5", "Two-factor authentication is on.")
	term.Send(keyEnter)
	term.WaitUntil("Security with 2FA on", wait, func(s string) bool { return twoFAOnRE.MatchString(s) })
	quitSSH(t, term)
	expectNoCodesLeftOnScreen(t, term, en.backup)

	again := gw.dialTerminal(t, lightTerminal)
	again.WaitFor(wait, "Sign in", "Username")
	again.Send(user + keyEnter)
	signInWithPassword(again, password)
	again.WaitFor(wait, "Two-Factor Authentication", "Signing in as "+user)
	typeTOTP(again, codeAt(t, en.secret, freshStep(t, en.step)))
	again.Send(keyEnter)
	again.WaitUntil("Security with 2FA on after a TOTP sign-in", wait, func(s string) bool { return twoFAOnRE.MatchString(s) })
	quitSSH(t, again)

	log := waitLog(t, gw, 2, `users=alice outcome=closed`)
	for _, secret := range append([]string{password, en.secret}, en.backup...) {
		if strings.Contains(log, secret) {
			t.Fatalf("the gateway's log holds a secret:\n%s", log)
		}
	}
}

// waitLog waits until the gateway's log holds want n times and returns it.
func waitLog(t *testing.T, gw *sshGateway, n int, want string) string {
	t.Helper()
	deadline := time.Now().Add(wait)
	for {
		log := gw.Log()
		if strings.Count(log, want) >= n {
			return log
		}
		if time.Now().After(deadline) {
			t.Fatalf("the gateway's log never said %q %d times:\n%s", want, n, log)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// quitSSH presses Ctrl+C and checks that the session ends with status 0
// and gives the terminal back: normal screen, cursor shown.
func quitSSH(t *testing.T, term *terminal) {
	t.Helper()
	term.Send(keyCtrlC)
	if code := term.WaitExit(wait); code != 0 {
		t.Fatalf("the session ended with status %d after Ctrl+C, want 0", code)
	}
	if alt, cursor := term.Mode(); alt || !cursor {
		t.Errorf("after the session: alternate screen %v, cursor visible %v", alt, cursor)
	}
}
