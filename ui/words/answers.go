package words

import (
	"fmt"
	"regexp"
	"time"

	"github.com/twofa/twofa/client"
)

// throttledPrefix starts every sentence about a password check the server
// holds back.
const throttledPrefix = "Too many failed sign-ins — try again "

// Throttled is a password check the server held back after too many failed
// sign-ins (at Sign in, or at the password step before enabling 2FA): for
// how long, or "later" when the server did not say (left <= 0).
func Throttled(left time.Duration) string { return tryAgain(throttledPrefix, left) }

// ThrottledCountdown is the line that ticks on Sign in while the server
// holds password checks back: "Too many failed sign-ins — try again in 0:42".
func ThrottledCountdown(left time.Duration) string {
	return throttledPrefix + "in " + Countdown(left)
}

// ThrottleOver replaces the countdown once it has run out.
const ThrottleOver = "You can try signing in again now."

// OthersSignedOut says that a change to 2FA ended n other sessions of the
// account (client.Changed, client.RegenerateResult); "" for none.
func OthersSignedOut(n int) string {
	switch {
	case n <= 0:
		return ""
	case n == 1:
		return "1 other session was signed out."
	}
	return fmt.Sprintf("%d other sessions were signed out.", n)
}

// fieldNouns names the fields of the API's answers for people; a field
// not here is named by its JSON name.
var fieldNouns = map[string]string{
	"access_token":                      "a session token",
	"token_type":                        "a token type",
	"username":                          "a username",
	"role":                              "a role",
	"message":                           "a message",
	"detail":                            "a message",
	"code":                              "an error code",
	"secret":                            "a secret key",
	"otpauth_url":                       "a setup link (otpauth URI)",
	"backup_codes":                      "backup codes",
	"backup_codes[]":                    "a backup code",
	"status":                            "a status",
	"version":                           "a version",
	"other_sessions_revoked":            "a count of signed-out sessions",
	"two_factor.backup_codes_remaining": "a count of backup codes",
	"two_factor.backup_codes_total":     "a count of backup codes",
}

var fieldIndex = regexp.MustCompile(`\[\d+\]`)

// fieldNoun names the field at path ("backup_codes[3]" is a backup code).
func fieldNoun(path string) string {
	key := fieldIndex.ReplaceAllString(path, "[]")
	if n, ok := fieldNouns[key]; ok {
		return n
	}
	return fmt.Sprintf("the field %q", oneLine(path))
}

// badFieldSentence words an answer refused for one of its fields: what the
// server at s sent, and that nothing from it is shown.
func (w Words) badFieldSentence(s string, f *client.BadField) string {
	noun := fieldNoun(f.Field)
	var fact string
	switch f.Problem {
	case client.FieldMissing:
		fact = fmt.Sprintf("%s answered without %s", s, noun)
	case client.FieldTooLong:
		fact = fmt.Sprintf("%s sent %s of %d characters; twofa takes at most %d", s, noun, f.Got, f.Limit)
	case client.FieldTooMany:
		fact = fmt.Sprintf("%s sent %d %s; twofa takes at most %d", s, f.Got, trimArticle(noun), f.Limit)
	case client.FieldNotPlain:
		fact = fmt.Sprintf("%s sent %s with characters that cannot be typed (control characters, spaces or non-ASCII)", s, noun)
	case client.FieldOutOfRange:
		fact = fmt.Sprintf("%s sent %s out of range (%d)", s, noun, f.Got)
	case client.FieldNotBase32:
		fact = fmt.Sprintf("%s sent a secret key that is not base32", s)
	case client.FieldNotTOTPURI:
		fact = fmt.Sprintf("%s sent a setup link that is not an otpauth://totp/ link naming an account", s)
	case client.FieldMismatch:
		fact = fmt.Sprintf("%s sent a setup link whose secret is not the secret key it sent", s)
	case client.FieldUnsupported:
		fact = fmt.Sprintf("%s sent a setup link for codes twofa does not make (it makes SHA-1 codes of 6 digits, every 30 seconds)", s)
	default:
		fact = fmt.Sprintf("%s sent %s twofa cannot check", s, noun)
	}
	return fmt.Sprintf("%s. twofa shows nothing from such an answer: check %s, or tell the server's administrator.", fact, w.server())
}

// trimArticle drops "a " or "an " from a noun that is counted.
func trimArticle(noun string) string {
	for _, a := range []string{"a ", "an "} {
		if len(noun) > len(a) && noun[:len(a)] == a {
			return noun[len(a):] + "s"
		}
	}
	return noun
}
