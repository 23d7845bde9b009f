package e2e

import (
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/twofa/twofa/internal/app"
)

// TestEndToEndQuitOverCodes: Ctrl+C over the wizard's new backup codes asks
// as Esc does (n stays, the codes still there); over Regenerate's new codes
// a SIGTERM ends the UI, and the terminal, back from the alternate screen,
// says on stderr that the codes were not saved and how to get new ones.
func TestEndToEndQuitOverCodes(t *testing.T) {
	const user = "quinn"
	term, srv, password := startSignedOut(t, user, darkTerminal)

	firstSignIn(t, term, srv.URL, user, password)
	en := enableToCodes(t, term, user, password)
	term.Send(keyCtrlC)
	term.WaitFor(wait, "Your backup codes will not be shown again.", "Quit anyway?")
	term.Send("n")
	term.WaitFor(wait, "Step 4 of 5", "I've saved these codes", en.backup[0])
	finishWizard(term)

	term.Send("r")
	term.WaitFor(wait, "Regenerate backup codes", "Enter the current 6-digit code")
	typeTOTP(term, codeAt(t, en.secret, freshStep(t, en.step)))
	term.Send(keyEnter)
	term.WaitFor(wait, "Your new backup codes.", "I've saved these codes")
	if err := syscall.Kill(term.vt.Pid(), syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if code := term.WaitExit(5 * time.Second); code != app.ExitCodesUnsaved {
		t.Fatalf("twofa exited with status %d after SIGTERM over unsaved codes, want %d", code, app.ExitCodesUnsaved)
	}
	after := term.WaitFor(wait, "the new backup codes were not saved")
	flat := strings.Join(strings.Fields(after), " ")
	if !strings.Contains(flat, "press r on the Security tab") {
		t.Errorf("stderr does not say how to get new codes:\n%s", after)
	}
}

// TestEndToEndConfirmedQuitOverCodes: Ctrl+C then y over the wizard's new
// backup codes ends the UI as a kill would: the stderr note, and the exit
// status that tells a script the codes were left unsaved.
func TestEndToEndConfirmedQuitOverCodes(t *testing.T) {
	const user = "quade"
	term, srv, password := startSignedOut(t, user, darkTerminal)

	firstSignIn(t, term, srv.URL, user, password)
	enableToCodes(t, term, user, password)
	term.Send(keyCtrlC)
	term.WaitFor(wait, "Quit anyway?")
	term.Send("y")
	if code := term.WaitExit(5 * time.Second); code != app.ExitCodesUnsaved {
		t.Fatalf("twofa exited with status %d after a confirmed quit over unsaved codes, want %d", code, app.ExitCodesUnsaved)
	}
	term.WaitFor(wait, "backup codes were not saved")
}
