package e2e

import (
	"strings"
	"testing"
)

// TestEndToEndQRNoColourLightTerminal checks the QR step where the drawing
// cannot pick its own colours: NO_COLOR on a terminal with a light
// background. The code must then be drawn in the terminal's dark text
// colour as a standard dark-on-light code that reads back to a URI whose
// secret is the manual entry key; Esc leaves 2FA off.
func TestEndToEndQRNoColourLightTerminal(t *testing.T) {
	const user = "bob"
	term, _, password := startSignedOut(t, user, lightTerminal, "NO_COLOR=1")

	term.WaitFor(wait, "Sign in", "Username")
	term.Send(user)
	term.WaitFor(wait, user)
	term.Send(keyEnter)
	signInWithPassword(term, password)
	term.WaitUntil("Security with 2FA off", wait, func(s string) bool { return twoFAOffRE.MatchString(s) })
	uri := toQRStep(t, term, password, "without colour on a light terminal the QR code is drawn as a negative: scanners expect dark on light")
	secret, _, account := parseOTPAuth(t, uri)
	if account != user {
		t.Fatalf("the QR code's account is %q, want %q", account, user)
	}
	term.Send("k")
	term.WaitFor(wait, append([]string{"Manual entry key"}, groupKey(secret)...)...)

	term.Send(keyEsc)
	term.WaitUntil("Security, 2FA still off", wait, func(s string) bool {
		return twoFAOffRE.MatchString(s) && strings.Contains(s, "Two-factor authentication was not enabled.")
	})
	quit(t, term)
}
