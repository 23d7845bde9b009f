package e2e

import (
	"strings"
	"testing"
	"time"

	"github.com/hinshun/vt10x"
)

// TestEndToEndLongAccountQR: an account named firstname.lastname@example.com
// enrols from the QR code read off an 80x24 screen — the shortest URI, its
// secret in an alphanumeric segment, fits there with a quiet zone of 2
// modules — with a TOTP computed from the decoded secret; the code it
// holds names no defaults (algorithm, digits, period), and its account is
// shown beside it, whole.
func TestEndToEndLongAccountQR(t *testing.T) {
	const user = "firstname.lastname@example.com"
	term, srv, password := startSignedOut(t, user, darkTerminal)
	firstSignIn(t, term, srv.URL, user, password)
	uri := toQRStep(t, term, password, "the QR code is drawn as a negative: scanners expect dark on light")
	if q := quietZone(term.cells(), term.pal); q < 2 {
		term.Dump("QR step")
		t.Fatalf("the QR code's quiet zone is %d modules at 80x24, want at least 2", q)
	}
	for _, param := range []string{"algorithm=", "digits=", "period="} {
		if strings.Contains(uri, param) {
			t.Fatalf("the QR code holds %q, which names a default (%s)", uri, param)
		}
	}
	secret, _, account := parseOTPAuth(t, uri)
	if account != user {
		t.Fatalf("the QR code's account is %q, want %q", account, user)
	}
	term.Send("k")
	term.WaitFor(wait, append([]string{"Manual entry key"}, groupKey(secret)...)...)
	term.Send("k")
	term.WaitFor(wait, "Show manual entry key", user)
	term.Send(keyEnter)
	term.WaitFor(wait, "Step 3 of 5", "Enter the 6-digit code from your app")
	typeTOTP(term, codeAt(t, secret, stepAt(time.Now())))
	term.Send(keyEnter)
	term.WaitFor(wait, "Step 4 of 5", "I've saved these codes")
	term.Send("c")
	term.WaitFor(wait, "Sent to your terminal's clipboard")
	term.Send(keyEnter)
	term.WaitFor(wait, "Step 5 of 5")
	term.Send(keyEnter)
	term.WaitUntil("Security with 2FA on", wait, func(s string) bool { return twoFAOnRE.MatchString(s) })
	quit(t, term)
}

// quietZone is the width in modules of the light margin left of the QR
// code on the screen: the columns of its drawing before the first dark
// module (a finder pattern's edge). The first and last rows are left out:
// one of them is half outside the code, the terminal's own background.
func quietZone(cells [][]vt10x.Glyph, pal palette) int {
	top, bottom, left, right, ok := qrBounds(cells)
	if !ok {
		return -1
	}
	for x := left; x <= right; x++ {
		for y := top + 1; y < bottom; y++ {
			upper, lower := halves(cells[y][x])
			if !pal.isLight(upper) || !pal.isLight(lower) {
				return x - left
			}
		}
	}
	return -1
}
