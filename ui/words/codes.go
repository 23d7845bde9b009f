package words

import (
	"fmt"
	"time"
)

// FewBackupCodes is the count of backup codes left at or below which twofa
// suggests regenerating them, on every screen and in `twofa status`.
const FewBackupCodes = 3

// FewLeft reports whether n backup codes left are few enough to suggest
// regenerating them.
func FewLeft(n int) bool { return n <= FewBackupCodes }

// WrongCode is the refusal of a code that was not right: an authenticator
// code, or a backup code (backup).
func WrongCode(backup bool) string {
	if backup {
		return "That backup code was not accepted. Check it — each code works only once."
	}
	return "Wrong code. Type the 6 digits your app shows now."
}

// CodeReused is the refusal of an authenticator code already used in its
// time step; secondsLeft > 0 says when the next code comes.
func CodeReused(secondsLeft int) string {
	if secondsLeft <= 0 {
		return "That code was already used. Wait for your app's next code."
	}
	return fmt.Sprintf("That code was already used. Wait for your app's next code (in about %d s).", secondsLeft)
}

// lockedPrefix starts every sentence about a second-factor lockout.
const lockedPrefix = "Too many failed attempts — try again "

// LockedOut is a second-factor lockout in a sentence: for how long, or
// "later" when the server did not say (left <= 0).
func LockedOut(left time.Duration) string { return tryAgain(lockedPrefix, left) }

// tryAgain ends a sentence that starts with prefix ("… try again "): "in
// 14 min 59 s.", or "later." when the wait is not known (left <= 0).
func tryAgain(prefix string, left time.Duration) string {
	if left <= 0 {
		return prefix + "later."
	}
	return prefix + "in " + Duration(left) + "."
}

// LockedCountdown is the lockout line that ticks on a code screen:
// "Too many failed attempts — try again in 14:32".
func LockedCountdown(left time.Duration) string {
	return lockedPrefix + "in " + Countdown(left)
}

// SignInExpired says that a sign-in waiting for its second factor is over.
const SignInExpired = "Your sign-in expired — sign in again."

// SignInExpiredAfter says that a sign-in waiting for its second factor
// ended when its ttl ran out: "Your sign-in expired after 5 min — …".
func SignInExpiredAfter(ttl time.Duration) string {
	return "Your sign-in expired after " + Duration(ttl) + " — sign in again."
}

// BackupCodesLeft follows a sign-in with a backup code: how many are left
// (n < 0: the server does not say) and, when few are, what to do.
func BackupCodesLeft(n int) string {
	if n < 0 {
		return "Signed in with a backup code. That code cannot be used again."
	}
	text := fmt.Sprintf("Signed in with a backup code. %s left.", Plural(n, "backup code"))
	if FewLeft(n) {
		text += "\nFew are left: press r to regenerate backup codes."
	}
	return text
}

// CodesNotSaved is said on stderr when twofa ends while new backup codes
// are on show, neither copied nor downloaded: they are gone, and how to get
// a new set.
const CodesNotSaved = "twofa: the new backup codes were not saved and will not be shown again. " +
	"Two-factor authentication is on; to get a new set, run twofa, sign in and press r on the Security tab (Regenerate backup codes)."

// SecondFactorAttempts is how many failed second-factor attempts lock the
// checks, at the reference server and at CoPilot alike.
const SecondFactorAttempts = 5

// AttemptsLeft follows a refused code with how many tries may be left
// before the lock, counted from the failures this screen saw (others,
// from elsewhere, count too: so "at most"), or that the checks are now
// locked; "" before any failure.
func AttemptsLeft(failures int) string {
	left := SecondFactorAttempts - failures
	switch {
	case failures <= 0:
		return ""
	case left <= 0:
		return "Code checks are now locked for a while."
	}
	tries := fmt.Sprintf("%d tries", left)
	if left == 1 {
		tries = "1 try"
	}
	return "At most " + tries + " left before code checks are locked for a while."
}

// ClockHint follows a refused code during enrolment, where a wrong clock is
// the usual reason an app's codes are refused.
const ClockHint = "If the codes from your app are refused every time, check your phone's clock: it must be set automatically."

// LockOutlastsSignIn replaces the lock's countdown on the second-factor
// screen when the lock lasts longer than the sign-in waiting for it: the
// sign-in will expire first, so waiting here is pointless; it says when to
// sign in again.
func LockOutlastsSignIn(until time.Time) string {
	// Rounded up to the minute: "after 10:15" must not come before the end.
	if r := until.Truncate(time.Minute); !r.Equal(until) {
		until = r.Add(time.Minute)
	}
	return "Too many failed attempts: code checks are locked until " + Clock(until) +
		", after this sign-in expires. Press esc and sign in again after " + Clock(until) + "."
}

// LockedUntil is the Security tab's line for a lock seen in this run.
func LockedUntil(until time.Time) string {
	return "Locked until " + Clock(until) + ": too many failed codes"
}

// CopyHeader is the first line of copied backup codes: whose they are,
// at which server, and when they were issued, so a paste found later (in
// a shared paste buffer, a note) says what it is.
func CopyHeader(server, user string, at time.Time) string {
	return "# twofa backup codes for " + user + " at " + server + ", " + Time(at)
}

// TmuxSharedBuffer warns after a copy inside tmux: tmux keeps it in its
// paste buffer, which anyone attached to the same tmux server can paste.
const TmuxSharedBuffer = "⚠ tmux keeps this copy in its paste buffer: anyone attached to this tmux server can paste it. When done, run: tmux delete-buffer"
