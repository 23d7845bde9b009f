package e2e

import (
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"
)

// createAccount adds an account to the backend's database with `twofa admin create-user`.
func createAccount(t *testing.T, bin string, b *backend, user, password, role string) {
	t.Helper()
	cmd := exec.Command(bin, "admin", "create-user", user, "--role", role, "--password-stdin", "--db", b.DSN)
	cmd.Env = serverEnv(t.TempDir(), "")
	cmd.Stdin = strings.NewReader(password + "\n")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("twofa admin create-user %s: %v\n%s", user, err, out)
	}
}

// finishWizard leaves the backup-codes step without saving them and
// returns to Security with 2FA on.
func finishWizard(term *terminal) {
	term.t.Helper()
	term.Send(keyEnter)
	term.WaitFor(wait, "Continue anyway?")
	term.Send("y")
	term.WaitFor(wait, "Step 5 of 5")
	term.Send(keyEnter)
	term.WaitUntil("Security with 2FA on", wait, func(s string) bool { return twoFAOnRE.MatchString(s) })
}

// TestEndToEndUsersTab is issue 15's done-when in real terminals: olga
// locks herself out and is told an administrator can unlock her; the
// admin, in another terminal, finds her by typing part of her name, sees
// the lock, unlocks her, and she signs in with the next code from her real
// secret. Then the admin resets her 2FA and she enrols again.
func TestEndToEndUsersTab(t *testing.T) {
	bin := buildBinary(t)
	password := "pw-" + randomText(t, 12)
	srv := startBackend(t, bin, "olga", password)
	adminPassword := "pw-" + randomText(t, 12)
	createAccount(t, bin, srv, "root", adminPassword, "admin")

	olgaEnv, _ := clientEnv(t)
	sessionStore(t, srv.URL, "olga")
	olga := startTerminal(t, bin, darkTerminal, []string{"--server", srv.URL}, olgaEnv)
	firstSignIn(t, olga, srv.URL, "olga", password)
	if strings.Contains(olga.Screen(), "Users") {
		olga.Dump("olga's Security")
		t.Fatal("olga, not an admin, sees a Users tab")
	}
	en := enableToCodes(t, olga, "olga", password)
	finishWizard(olga)

	// Five wrong codes lock her out; the screen says who can help.
	logOut(olga)
	signInWithPassword(olga, password)
	olga.WaitFor(wait, "Two-Factor Authentication", "Enter the 6-digit code from your authenticator app.")
	for i := 1; i <= 5; i++ {
		typeTOTP(olga, wrongCode(t, en.secret, time.Now(), i))
		olga.Send(keyEnter)
		olga.WaitUntil("wrong code "+strconv.Itoa(i), wait, func(s string) bool {
			return strings.Contains(s, "✗ Wrong code.") && strings.Contains(s, "› _ _ _ _ _ _")
		})
	}
	// The sixth try, the right code, meets the lock.
	typeTOTP(olga, codeAt(t, en.secret, freshStep(t, en.step)))
	olga.Send(keyEnter)
	olga.WaitUntil("the lockout and its hint", wait, func(s string) bool {
		return strings.Contains(s, "Too many failed attempts") && strings.Contains(s, "administrator can unlock your account")
	})

	// The admin finds her by part of her name and unlocks her.
	rootEnv, _ := clientEnv(t)
	sessionStore(t, srv.URL, "root")
	root := startTerminal(t, bin, darkTerminal, []string{"--server", srv.URL}, rootEnv)
	firstSignIn(t, root, srv.URL, "root", adminPassword)
	root.Send(keyTab)
	root.WaitFor(wait, "[Users]", "Find", "2 users")
	root.Send("lg")
	root.WaitFor(wait, "1 of 2 users", "› olga", "locked")
	root.Send(keyEnter)
	root.WaitFor(wait, "olga  id 1", "locked until", "u     Unlock")
	root.Send("u")
	root.WaitFor(wait, "Unlock olga?", "y yes  n no")
	root.Send("y")
	root.WaitFor(wait, "olga was unlocked", "Lock                none", "admin_unlock")

	// She signs in again with the next code of her real secret.
	olga.Send(keyEsc)
	signInWithPassword(olga, password)
	olga.WaitFor(wait, "Two-Factor Authentication")
	used := freshStep(t, en.step)
	typeTOTP(olga, codeAt(t, en.secret, used))
	olga.Send(keyEnter)
	olga.WaitUntil("olga signed in after the unlock", wait, func(s string) bool { return twoFAOnRE.MatchString(s) })

	// The admin resets her 2FA; she signs in with her password alone and enrols again.
	root.Send("r")
	root.WaitFor(wait, "Reset two-factor authentication of olga?")
	root.Send("y")
	root.WaitFor(wait, "Two-factor authentication of olga was reset", "Two-factor auth     Off")
	olga.Send("\x12") // ctrl+r: her session was ended by the reset
	olga.WaitFor(wait, "Sign in")
	signInWithPassword(olga, password)
	olga.WaitUntil("Security with 2FA off after the reset", wait, func(s string) bool { return twoFAOffRE.MatchString(s) })
	// A time step once accepted for the account stays spent, with the new
	// secret too: enrol in a later one.
	for stepAt(time.Now()) <= used {
		time.Sleep(time.Until(time.Unix((used+1)*totpPeriod, 0)) + 50*time.Millisecond)
	}
	again := enableToCodes(t, olga, "olga", password)
	if again.secret == en.secret {
		t.Fatal("enrolling again gave the old secret")
	}
	finishWizard(olga)
	quit(t, olga)
	quit(t, root)
}
