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
	bin := buildBinary(t)
	const user = "bob"
	password := "pw-" + randomText(t, 12)
	srv := startBackend(t, bin, user, password)
	env, _ := clientEnv(t)
	// Registered before the terminal so its cleanup runs after the TUI has
	// exited: the session the TUI stored is deleted from the kernel keyring.
	sessionStore(t, srv.URL, user)
	term := startTerminal(t, bin, lightTerminal, []string{"--server", srv.URL}, append(env, "NO_COLOR=1"))

	term.WaitFor(wait, "Sign in", "Username")
	term.Send(user)
	term.WaitFor(wait, user)
	term.Send(keyEnter)
	signInWithPassword(term, password)
	term.WaitUntil("Security with 2FA off", wait, func(s string) bool { return twoFAOffRE.MatchString(s) })
	term.Send("e")
	term.WaitFor(wait, "Step 1 of 5", "Confirm it's you")
	term.Send(password)
	term.WaitFor(wait, strings.Repeat("•", len(password)))
	term.Send(keyEnter)
	term.WaitFor(wait, "Step 2 of 5", "Scan this QR code")

	uri, negative := readQR(t, term)
	if negative {
		term.Dump("QR step")
		t.Fatalf("without colour on a light terminal the QR code is drawn as a negative: scanners expect dark on light")
	}
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
