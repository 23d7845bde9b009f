package e2e

import (
	"strings"
	"testing"
)

// TestEndToEndRegenerateAndDisable enables 2FA through the wizard, then
// regenerates the backup codes (a replayed TOTP is refused first), and
// disables 2FA with one of the new codes after an old one is refused; the
// next sign-in asks for no second factor.
func TestEndToEndRegenerateAndDisable(t *testing.T) {
	const user = "carol"
	term, srv, password := startSignedOut(t, user, darkTerminal)

	firstSignIn(t, term, srv.URL, user, password)
	en := enableToCodes(t, term, user, password)
	term.Send(keyEnter)
	term.WaitFor(wait, "You have not copied or downloaded these codes.", "Continue anyway?")
	term.Send("y")
	term.WaitFor(wait, "Step 5 of 5", "Two-factor authentication is on.")
	term.Send(keyEnter)
	screen := term.WaitUntil("Security with 2FA on", wait, func(s string) bool { return twoFAOnRE.MatchString(s) })
	expectCodesLeft(t, term, screen, len(en.backup), len(en.backup))

	// Regenerate: the code that enabled 2FA is spent; a later one works.
	term.Send("r")
	term.WaitFor(wait, "Regenerate backup codes", "Enter the current 6-digit code from your authenticator app.")
	typeTOTP(term, codeAt(t, en.secret, en.step))
	term.Send(keyEnter)
	term.WaitUntil("the replayed code refused", wait, func(s string) bool {
		return strings.Contains(s, "That code was already used.") && strings.Contains(s, "_ _ _ _ _ _")
	})
	typeTOTP(term, codeAt(t, en.secret, freshStep(t, en.step)))
	term.Send(keyEnter)
	screen = term.WaitFor(wait, "Your new backup codes.", "I've saved these codes")
	fresh := readBackupCodes(t, term, screen)
	old := map[string]bool{}
	for _, c := range en.backup {
		old[c] = true
	}
	for _, c := range fresh {
		if old[c] {
			t.Fatalf("regenerated code %s is one of the old codes", c)
		}
	}
	term.Send(keyEnter)
	term.WaitFor(wait, "You have not copied or downloaded these codes.", "Continue anyway?")
	term.Send("y")
	screen = term.WaitUntil("Security after regenerating", wait, func(s string) bool {
		return twoFAOnRE.MatchString(s) && strings.Contains(s, "New backup codes are active; the old ones no longer work.")
	})
	expectCodesLeft(t, term, screen, len(fresh), len(fresh))

	// Disable: the warning, then an old backup code (refused) and a new one.
	term.Send("x")
	term.WaitFor(wait, "Disable 2FA", "Enabling again starts over", "Keep 2FA on")
	term.Send(keyEnter)
	term.WaitFor(wait, "To confirm, enter the 6-digit code from your authenticator app.")
	term.Send(keyTab)
	term.WaitFor(wait, "To confirm, enter one of your backup codes.")
	term.Send(en.backup[0])
	term.WaitFor(wait, en.backup[0])
	term.Send(keyEnter)
	term.WaitUntil("the old backup code refused", wait, func(s string) bool {
		return strings.Contains(s, "That backup code was not accepted.") && strings.Contains(s, en.backup[0]+"  type to replace")
	})
	term.Send(fresh[0])
	term.WaitFor(wait, fresh[0])
	term.Send(keyEnter)
	term.WaitUntil("Security with 2FA off", wait, func(s string) bool {
		return twoFAOffRE.MatchString(s) && strings.Contains(s, "Two-factor authentication is off.")
	})

	// Signing in again takes the password alone.
	logOut(term)
	signInWithPassword(term, password)
	term.WaitUntil("Security straight after the password", wait, func(s string) bool {
		return twoFAOffRE.MatchString(s) && strings.Contains(s, "· "+user)
	})
	quit(t, term)
	expectNoCodesLeftOnScreen(t, term, append(en.backup, fresh...))
}
