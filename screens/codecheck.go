package screens

import (
	"errors"
	"time"

	"github.com/twofa/twofa/client"
	"github.com/twofa/twofa/ui/words"
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
	return words.LockedCountdown(l.until.Sub(now))
}

// codeOutcome is what a screen shows after the server refused a code.
type codeOutcome struct {
	text    string
	lockFor time.Duration // > 0: lock input for this long
	expired bool          // the pending sign-in is gone: back to Sign in
	ended   bool          // the session is gone: back to Sign in
}

// explainCodeError decides what a refused code does to a code screen, in
// w's words: a wrong or reused code keeps the prompt with a sentence that
// says what to do next, a lockout locks it for its duration, and a sign-in
// or session that is over leaves.
func explainCodeError(err error, now time.Time, clock client.Clock, backup bool, w words.Words) codeOutcome {
	var api *client.APIError
	if !errors.As(err, &api) {
		return codeOutcome{text: w.Error(err)}
	}
	switch api.Code {
	case client.CodeInvalidCode:
		return codeOutcome{text: "✗ " + words.WrongCode(backup)}
	case client.CodeCodeReused:
		return codeOutcome{text: "✗ " + words.CodeReused(clock.SecondsLeftInStep(now))}
	case client.CodeLockedOut:
		if api.RetryAfter > 0 {
			return codeOutcome{lockFor: api.RetryAfter}
		}
		return codeOutcome{text: "✗ " + words.LockedOut(0)}
	case client.CodePendingExpired:
		return codeOutcome{expired: true, text: words.SignInExpired}
	case client.CodeUnauthorized:
		return codeOutcome{ended: true}
	}
	return codeOutcome{text: "✗ " + w.Error(err)}
}

// driftWarning is the clock-drift note, or "" when the clocks agree within
// client.DriftLimit.
func driftWarning(clock client.Clock) string {
	if !clock.Drifted() {
		return ""
	}
	return words.ClockDrift(clock.Offset)
}
