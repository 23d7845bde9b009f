package e2e

import (
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestEndToEnd drives the real twofa binary in an 80x24 pseudo-terminal
// against a real `twofa serve`: sign in, enable 2FA by scanning the QR code
// drawn on the screen, sign out and in with a TOTP, then with a backup code,
// then get locked out by wrong codes, and quit with Ctrl+C.
func TestEndToEnd(t *testing.T) {
	began := time.Now()
	bin := buildBinary(t)
	t.Logf("built twofa in %s", time.Since(began).Round(time.Millisecond))

	const user = "alice"
	password := "pw-" + randomText(t, 12)
	srv := startBackend(t, bin, user, password)
	env, home := clientEnv(t)
	term := startTerminal(t, bin, darkTerminal, []string{"--server", srv.URL}, env)
	flowStart := time.Now()

	// Sign in with the password: no 2FA yet, so straight to Security.
	screen := firstSignIn(t, term, srv.URL, user, password)
	expectRawMode(t, term)
	// No OS keyring here: the session goes to the kernel keyring, or — where
	// there is none — stays in memory. Where it is stored, sign-out removes it.
	backend := storedInRE.FindStringSubmatch(screen)[1]
	store := sessionStore(t, srv.URL, user)
	kernel := backend == "kernel keyring"
	if kernel {
		expectStored(t, store, srv.URL, user, true)
	} else {
		t.Logf("session kept in %s: the keyring checks are skipped", backend)
	}

	en := enableToCodes(t, term, user, password)
	secret, enrolStep, backup := en.secret, en.step, en.backup
	t.Logf("enabled 2FA: QR decoded from the screen, %d backup codes read", len(backup))

	// Step 4: leaving or going on before saving the codes asks first; Download
	// .txt writes them, readable only by the user, and then Enter goes on.
	term.Send(keyEsc)
	term.WaitFor(wait, "Your backup codes will not be shown again.", "Leave anyway?")
	term.Send("n")
	term.WaitFor(wait, "I've saved these codes")
	term.Send(keyEnter)
	term.WaitFor(wait, "You have not copied or downloaded these codes.", "Continue anyway?")
	term.Send("n")
	term.WaitFor(wait, "I've saved these codes")
	term.Send("d")
	term.WaitFor(wait, "Save to", "twofa-backup-codes-")
	term.Send(keyEnter)
	term.WaitFor(wait, "Saved to ~/twofa-backup-codes-", "readable only by")
	expectCodesFile(t, home, backup)
	term.Send(keyEnter)
	term.WaitFor(wait, "Step 5 of 5", "Two-factor authentication is on.")
	term.Send(keyEnter)
	screen = term.WaitUntil("Security with 2FA on", wait, func(s string) bool { return twoFAOnRE.MatchString(s) })
	expectCodesLeft(t, term, screen, len(backup), len(backup))

	// Sign out, then in with a TOTP. The enrolment's step is spent, so the
	// code is for a later step the server still accepts.
	logOut(term)
	if kernel {
		expectStored(t, store, srv.URL, user, false)
	}
	term.WaitUntil("Sign in with the username kept", wait, func(s string) bool { return usernameRE(user).MatchString(s) })
	signInWithPassword(term, password)
	term.WaitFor(wait, "Two-Factor Authentication", "Signing in as "+user, "Enter the 6-digit code from your authenticator app.", "This sign-in expires in")
	loginStep := freshStep(t, enrolStep)
	typeTOTP(term, codeAt(t, secret, loginStep))
	term.Send(keyEnter)
	screen = term.WaitUntil("Security with 2FA on after a TOTP sign-in", wait, func(s string) bool {
		return twoFAOnRE.MatchString(s) && strings.Contains(s, "· "+user)
	})
	expectCodesLeft(t, term, screen, len(backup), len(backup))

	// Quit and start again: the stored session is resumed without a
	// password (memory only: Sign in, with the username filled in).
	quit(t, term)
	expectNoCodesLeftOnScreen(t, term, backup)
	term = startTerminal(t, bin, darkTerminal, []string{"--server", srv.URL}, env)
	if kernel {
		term.WaitUntil("the resumed session on Security", wait, func(s string) bool {
			return twoFAOnRE.MatchString(s) && strings.Contains(s, "· "+user)
		})
	} else {
		term.WaitUntil("Sign in with the last username", wait, func(s string) bool {
			return usernameRE(user).MatchString(s)
		})
		signInWithPassword(term, password)
		term.WaitFor(wait, "Enter the 6-digit code from your authenticator app.")
		typeTOTP(term, codeAt(t, secret, freshStep(t, loginStep)))
		term.Send(keyEnter)
		term.WaitUntil("Security with 2FA on", wait, func(s string) bool { return twoFAOnRE.MatchString(s) })
	}

	// Sign out, then in with a backup code typed from paper: lower-case,
	// a space for the dash, O for 0 and l for 1 (letters the codes never use).
	used := lookAlikeIndex(backup)
	backup[0], backup[used] = backup[used], backup[0]
	typed := strings.ToLower(strings.NewReplacer("-", " ", "0", "O", "1", "l").Replace(backup[0]))
	if typed == strings.ToLower(strings.Replace(backup[0], "-", " ", 1)) {
		t.Logf("none of the %d codes has a 0 or a 1 (odds about 1 in 600): typed in lower case only", len(backup))
	}
	logOut(term)
	signInWithPassword(term, password)
	term.WaitFor(wait, "Enter the 6-digit code from your authenticator app.", "Use a backup code instead")
	term.Send(keyTab)
	term.WaitFor(wait, "Enter one of your backup codes.", "Use authenticator code instead")
	term.Send(typed)
	term.WaitFor(wait, strings.ToUpper(strings.ReplaceAll(typed, " ", "-")))
	term.Send(keyEnter)
	left := len(backup) - 1
	screen = term.WaitFor(wait, "Signed in with a backup code. "+strconv.Itoa(left)+" backup codes left.")
	expectCodesLeft(t, term, screen, left, len(backup))

	// Sign out, then in with five wrong codes: the fifth locks second-factor
	// checks, and the next — a right, unused backup code — is refused.
	logOut(term)
	signInWithPassword(term, password)
	term.WaitFor(wait, "Enter the 6-digit code from your authenticator app.")
	for i := 1; i <= 5; i++ {
		typeTOTP(term, wrongCode(t, secret, time.Now(), i))
		term.Send(keyEnter)
		term.WaitUntil("wrong code "+strconv.Itoa(i)+" refused", wait, func(s string) bool {
			return strings.Contains(s, "Wrong code.") && strings.Contains(s, "_ _ _ _ _ _")
		})
	}
	term.Send(keyTab)
	term.WaitFor(wait, "Enter one of your backup codes.")
	term.Send(backup[1])
	term.WaitFor(wait, backup[1])
	term.Send(keyEnter)
	// The lock (about 15 min) outlasts the pending sign-in (5 min): the
	// prompt says until when, and to sign in again after it.
	screen = term.WaitUntil("the lockout", wait, func(s string) bool { return lockUntilRE.MatchString(s) })
	expectLockUntil(t, term, screen)
	term.Send(backup[2])
	term.Send(keyEnter)
	// Give a wrongly accepted keystroke time to show before looking.
	time.Sleep(300 * time.Millisecond)
	screen = term.WaitUntil("the lockout to hold", wait, func(s string) bool { return lockUntilRE.MatchString(s) })
	if strings.Contains(screen, backup[2]) || strings.Contains(screen, "Security") {
		term.Dump("during the lockout")
		t.Fatalf("a code was taken while locked out")
	}

	quit(t, term)
	if kernel {
		expectStored(t, store, srv.URL, user, false)
	}
	expectNoCodesLeftOnScreen(t, term, backup)
	t.Logf("flow took %s; whole test %s", time.Since(flowStart).Round(time.Millisecond), time.Since(began).Round(time.Millisecond))
}

// lookAlikeIndex is the index of the first backup code with a 0 or a 1 in
// it (one a person may type as O or l), else 0.
func lookAlikeIndex(backup []string) int {
	for i, c := range backup {
		if strings.ContainsAny(c, "01") {
			return i
		}
	}
	return 0
}
