package screens

import (
	"errors"
	"fmt"
	"time"

	"github.com/twofa/twofa/client"
	"github.com/twofa/twofa/ui"
)

// lockout is the second-factor lock a server reported: input stays disabled
// and a countdown shows until it ends.
type lockout struct {
	until time.Time
}

// active reports whether the lock still holds at now.
func (l lockout) active(now time.Time) bool { return !l.until.IsZero() && now.Before(l.until) }

// text is the countdown line, e.g. "Too many failed attempts — try again in 14:32".
func (l lockout) text(now time.Time) string {
	return "Too many failed attempts — try again in " + ui.Countdown(l.until.Sub(now))
}

// codeOutcome is what a screen shows after the server refused a code.
type codeOutcome struct {
	text    string
	lockFor time.Duration // > 0: lock input for this long
	expired bool          // the pending sign-in is gone: back to Sign in
	ended   bool          // the session is gone: back to Sign in
}

// explainCodeError turns a refused code into words. A wrong code and a reused
// one get sentences that say what to do next; a lockout gets its duration.
func explainCodeError(err error, now time.Time, clock client.Clock, backup bool) codeOutcome {
	var api *client.APIError
	if !errors.As(err, &api) {
		return codeOutcome{text: client.Message(err)}
	}
	switch api.Code {
	case client.CodeInvalidCode:
		if backup {
			return codeOutcome{text: "✗ That backup code was not accepted. Check it — each code works only once."}
		}
		return codeOutcome{text: "✗ Wrong code. Type the 6 digits your app shows now."}
	case client.CodeCodeReused:
		return codeOutcome{text: fmt.Sprintf("✗ That code was already used. Wait for your app's next code (in about %d s).", clock.SecondsLeftInStep(now))}
	case client.CodeLockedOut:
		if api.RetryAfter > 0 {
			return codeOutcome{lockFor: api.RetryAfter}
		}
		return codeOutcome{text: "✗ Too many failed attempts — try again later."}
	case client.CodePendingExpired:
		return codeOutcome{expired: true, text: "Your sign-in expired — sign in again."}
	case client.CodeUnauthorized:
		return codeOutcome{ended: true}
	}
	return codeOutcome{text: "✗ " + client.Message(err)}
}

// driftWarning is the clock-drift note, or "" when the clocks agree within 15 s.
func driftWarning(clock client.Clock) string {
	if !clock.Known || !clock.Drifted() {
		return ""
	}
	d := clock.Offset
	dir := "behind"
	if d < 0 {
		d = -d
		dir = "ahead of"
	}
	return fmt.Sprintf("⚠ This computer's clock is %s %s the server's. Codes depend on the time: make sure your phone's clock is set automatically.", roundDrift(d), dir)
}

// roundDrift says a drift in words: "45 s", "2 min 5 s", "3 h 10 min".
func roundDrift(d time.Duration) string {
	secs := int(d.Round(time.Second) / time.Second)
	switch {
	case secs < 60:
		return fmt.Sprintf("%d s", secs)
	case secs < 3600:
		if secs%60 == 0 {
			return fmt.Sprintf("%d min", secs/60)
		}
		return fmt.Sprintf("%d min %d s", secs/60, secs%60)
	default:
		return fmt.Sprintf("%d h %d min", secs/3600, secs%3600/60)
	}
}
