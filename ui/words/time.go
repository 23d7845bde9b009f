package words

import (
	"fmt"
	"time"
)

// TimeLayout is how an instant is shown to people: "2030-01-03 11:00 CET"
// — year first, 24-hour clock, in the local zone of the computer twofa
// runs on, whose name says which zone it is (so a time read over SSH from
// another zone is not misread). Every absolute time on a screen, in the
// CLI's text output, in the admin commands and in saved or copied codes
// uses it, or its date or clock alone (Day, Clock); JSON output stays RFC
// 3339 in UTC (JSONTime).
const TimeLayout = "2006-01-02 15:04 MST"

// Time shows t in TimeLayout, in the local zone.
func Time(t time.Time) string { return t.Local().Format(TimeLayout) }

// Clock shows the time of day of t as in TimeLayout, for an instant within
// the day: "10:15 UTC".
func Clock(t time.Time) string { return t.Local().Format("15:04 MST") }

// Day shows the date of t as in TimeLayout, "2030-01-03", as also in file
// names, which sort by it.
func Day(t time.Time) string { return t.Local().Format(time.DateOnly) }

// JSONTime is t as machine-readable output carries it: UTC, so it compares
// and sorts as text (RFC 3339 when encoded).
func JSONTime(t time.Time) time.Time { return t.UTC() }

// Duration says a span of time in words, rounded to the second: "40 s",
// "2 min", "14 min 59 s", "3 h 10 min". Every sentence about how long
// something lasts or how far clocks differ uses it.
func Duration(d time.Duration) string {
	if d < 0 {
		d = -d
	}
	secs := int(d.Round(time.Second) / time.Second)
	switch {
	case secs < 60:
		return fmt.Sprintf("%d s", secs)
	case secs < 3600:
		if secs%60 == 0 {
			return fmt.Sprintf("%d min", secs/60)
		}
		return fmt.Sprintf("%d min %d s", secs/60, secs%60)
	case secs%3600/60 == 0:
		return fmt.Sprintf("%d h", secs/3600)
	default:
		return fmt.Sprintf("%d h %d min", secs/3600, secs%3600/60)
	}
}

// Countdown is a duration that ticks on screen, as m:ss ("14:32", "0:07"):
// it rounds up, so it never shows 0:00 while time is left.
func Countdown(d time.Duration) string {
	if d <= 0 {
		return "0:00"
	}
	secs := int((d + time.Second - 1) / time.Second)
	return fmt.Sprintf("%d:%02d", secs/60, secs%60)
}

// ValidUntil says until when a session stays valid at a server that cannot
// end it: "until 2030-01-03 10:00 UTC", or "until it expires" when the
// expiry is unknown (the zero time).
func ValidUntil(exp time.Time) string {
	if exp.IsZero() {
		return "until it expires"
	}
	return "until " + Time(exp)
}

// ClockDrift warns that this computer's clock and the server's differ by
// offset (server = local + offset), which TOTP codes depend on.
func ClockDrift(offset time.Duration) string {
	dir := "behind"
	if offset < 0 {
		dir = "ahead of"
	}
	return fmt.Sprintf("⚠ This computer's clock is %s %s the server's. Codes depend on the time: make sure your phone's clock is set automatically.", Duration(offset), dir)
}

// ServerClock describes the server's clock beside this computer's for a
// status report: offset is server minus local, drifted whether it is beyond
// what TOTP tolerates.
func ServerClock(offset time.Duration, drifted bool) string {
	if !drifted {
		return fmt.Sprintf("in step with this computer (offset %+d s)", int64(offset/time.Second))
	}
	dir := "ahead of"
	if offset < 0 {
		dir = "behind"
	}
	return fmt.Sprintf("%s %s this computer — codes may be refused; check the clocks (this computer's and your phone's)", Duration(offset), dir)
}
