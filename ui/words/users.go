package words

import (
	"fmt"
	"time"
)

// Days says a long span in whole days and hours: "7 days", "1 day 3 h",
// "5 h"; shorter spans as Duration does.
func Days(d time.Duration) string {
	if d < 0 {
		d = -d
	}
	days, hours := int(d/(24*time.Hour)), int(d%(24*time.Hour)/time.Hour)
	unit := "days"
	if days == 1 {
		unit = "day"
	}
	switch {
	case days == 0:
		return Duration(d.Round(time.Minute))
	case hours == 0:
		return fmt.Sprintf("%d %s", days, unit)
	default:
		return fmt.Sprintf("%d %s %d h", days, unit, hours)
	}
}

// RequiredGrace tells a person whose role requires 2FA how long they may
// still sign in without it.
func RequiredGrace(left time.Duration, until time.Time) string {
	return fmt.Sprintf("Your organisation requires two-factor authentication for your account. Enable it within %s (by %s); after that you can only sign in to enable it.", Days(left), Time(until))
}

// RequiredNow tells a person whose grace is over that only enrolling is left.
const RequiredNow = "Your organisation requires two-factor authentication for your account. Enable it to continue: until then this session can only enable it."

// LockedAskAdmin follows the lockout on a server whose admins can unlock
// accounts (offered says so), else in general.
func LockedAskAdmin(offered bool) string {
	if offered {
		return "An administrator can unlock your account now."
	}
	return "If you cannot wait, ask an administrator."
}

// Users tab wording.
const (
	UsersLoading     = "Loading users…"
	UsersNone        = "No user matches."
	UsersFilterHint  = "Type part of a name to filter."
	UsersNoEvents    = "No recent security events."
	UsersNotSaid     = "—"
	UsersNeverSigned = "never"
)

// UsersCount says how many users a filter shows of how many.
func UsersCount(shown, all int) string {
	if shown == all {
		return fmt.Sprintf("%d users", all)
	}
	return fmt.Sprintf("%d of %d users", shown, all)
}

// ConfirmReset asks before an admin resets name's 2FA.
func ConfirmReset(name string) string {
	return fmt.Sprintf("Reset two-factor authentication of %s? Their secret and backup codes are deleted and they are signed out; they enable it again at their next sign-in.", name)
}

// ConfirmUnlock asks before an admin unlocks name.
func ConfirmUnlock(name string) string {
	return fmt.Sprintf("Unlock %s? Their failed code attempts and sign-ins are forgotten and they can try again at once.", name)
}

// ConfirmTempPassword asks before an admin sends name a temporary password.
func ConfirmTempPassword(name string) string {
	return fmt.Sprintf("Send %s a temporary password? The server emails it to the address on their account.", name)
}

// AdminLockedUntil is a lock shown to an admin.
func AdminLockedUntil(until time.Time) string { return "locked until " + Time(until) }

// ResetDone, UnlockDone and TempPasswordDone say an admin action succeeded.
func ResetDone(name string) string {
	return fmt.Sprintf("Two-factor authentication of %s was reset; they enable it again at their next sign-in.", name)
}

// UnlockDone says name was unlocked.
func UnlockDone(name string) string {
	return fmt.Sprintf("%s was unlocked and can sign in with their next code.", name)
}

// TempPasswordDone says name was sent a temporary password.
func TempPasswordDone(name string) string {
	return fmt.Sprintf("A temporary password was sent to %s.", name)
}

// ShortTime shows t in a list column: as Time does, or only its Day when
// short is set (a narrow list).
func ShortTime(t time.Time, short bool) string {
	if short {
		return Day(t)
	}
	return Time(t)
}
