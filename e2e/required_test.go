package e2e

import (
	"os/exec"
	"strings"
	"testing"
)

// TestEndToEndRequired2FA: `twofa admin require-2fa --role user --grace 0`
// makes a new user's first sign-in go straight into the enable wizard;
// leaving it says why, and after enrolling Security no longer says it.
func TestEndToEndRequired2FA(t *testing.T) {
	bin := buildBinary(t)
	password := "pw-" + randomText(t, 12)
	srv := startBackend(t, bin, "newbie", password)
	cmd := exec.Command(bin, "admin", "require-2fa", "--role", "user", "--grace", "0", "--db", srv.DSN)
	cmd.Env = serverEnv(t.TempDir(), "")
	if out, err := cmd.CombinedOutput(); err != nil || !strings.Contains(string(out), "Role user now requires two-factor authentication") {
		t.Fatalf("twofa admin require-2fa: %v\n%s", err, out)
	}
	env, _ := clientEnv(t)
	sessionStore(t, srv.URL, "newbie")
	term := startTerminal(t, bin, darkTerminal, []string{"--server", srv.URL}, env)
	term.WaitFor(wait, "Sign in", "Username")
	term.Send("newbie")
	term.WaitFor(wait, "newbie")
	term.Send(keyEnter)
	signInWithPassword(term, password)
	term.WaitFor(wait, "Step 1 of 5", "Confirm it's you")
	term.Send(keyEsc)
	term.WaitFor(wait, "Enable it to continue", "Enable Two-Factor Authentication")
	enableToCodes(t, term, "newbie", password)
	finishWizard(term)
	if strings.Contains(term.Screen(), "requires two-factor authentication") {
		term.Dump("Security after enrolling")
		t.Fatal("Security still says 2FA is required after enrolling")
	}
	quit(t, term)
}
