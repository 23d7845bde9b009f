package e2e

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hinshun/vt10x"
	"github.com/muesli/termenv"
	"github.com/twofa/twofa/internal/harness/vtterm"
	"github.com/twofa/twofa/ui/qrview"
)

// TestDecodeScreenQR checks the screen reader the end-to-end test relies on:
// qrview's drawing, written through a vt10x emulator beside some text,
// decodes back to the URI in every colour profile, both polarities and both
// quiet-zone widths.
func TestDecodeScreenQR(t *testing.T) {
	const uri = "otpauth://totp/twofa:alice?algorithm=SHA1&digits=6&issuer=twofa&period=30&secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
	profiles := []struct {
		name    string
		profile termenv.Profile
		pal     palette
	}{
		{"truecolor", termenv.TrueColor, darkTerminal},
		{"truecolor on light", termenv.TrueColor, lightTerminal},
		{"ansi256", termenv.ANSI256, darkTerminal},
		{"ansi16", termenv.ANSI, darkTerminal},
		{"no colour on dark", termenv.Ascii, darkTerminal},
		{"no colour on light", termenv.Ascii, lightTerminal},
	}
	for _, p := range profiles {
		for _, inverted := range []bool{false, true} {
			for _, quiet := range []int{1, 2} {
				t.Run(fmt.Sprintf("%s/inverted=%v/quiet=%d", p.name, inverted, quiet), func(t *testing.T) {
					drawn, err := qrview.Render(uri, quiet, inverted, p.profile)
					if err != nil {
						t.Fatalf("Render: %v", err)
					}
					vt := vt10x.New(vt10x.WithSize(termCols, termRows))
					// A title above and a text column beside, as on the QR step.
					var b strings.Builder
					b.WriteString("\x1b[1mStep 2 of 5\x1b[0m\r\n")
					for _, line := range strings.Split(drawn, "\n") {
						b.WriteString(line + "\x1b[0m  Scan this QR code\r\n")
					}
					if _, err := vt.Write([]byte(b.String())); err != nil {
						t.Fatal(err)
					}
					cells := vtterm.Glyphs(vt)
					got, negative, err := decodeScreenQR(cells, p.pal)
					if err != nil {
						t.Fatalf("decodeScreenQR: %v\n%s", err, framed(screenText(cells)))
					}
					if got != uri {
						t.Fatalf("decoded %q, want %q", got, uri)
					}
					// qrview: with colour the ink is white on black, so the
					// ink is the light modules unless inverted; without
					// colour the ink is the terminal's text colour.
					wantNegative := inverted
					if p.profile == termenv.Ascii && p.pal == lightTerminal {
						wantNegative = !inverted
					}
					if negative != wantNegative {
						t.Fatalf("read as negative=%v, want %v", negative, wantNegative)
					}
				})
			}
		}
	}
}

// TestDecodeScreenQRNone checks that a screen without a QR code is an error.
func TestDecodeScreenQRNone(t *testing.T) {
	vt := vt10x.New(vt10x.WithSize(termCols, termRows))
	_, _ = vt.Write([]byte("Sign in\r\nUsername  alice\r\n"))
	cells := vtterm.Glyphs(vt)
	if got, _, err := decodeScreenQR(cells, darkTerminal); err == nil {
		t.Fatalf("decodeScreenQR on a text screen = %q, want an error", got)
	}
}

// TestDecodeScreenQRCaptured decodes a screen captured from a failed run
// (NO_COLOR on a light terminal, so every cell has the default colours):
// gozxing's finder-pattern detector misplaced this code's patterns at 4
// pixels a module, which decodeModules must get past.
func TestDecodeScreenQRCaptured(t *testing.T) {
	const want = "otpauth://totp/twofa:bob?algorithm=SHA1&digits=6&issuer=twofa&period=30&secret=VAMQ6XDTPFHDYVYHQINWBASFVJT3BNIX"
	data, err := os.ReadFile(filepath.Join("testdata", "qr-light-nocolour.txt"))
	if err != nil {
		t.Fatal(err)
	}
	cells := make([][]vt10x.Glyph, termRows)
	lines := strings.Split(strings.TrimRight(string(data), "\n"), "\n")
	for y := range cells {
		cells[y] = make([]vt10x.Glyph, termCols)
		var row []rune
		if y < len(lines) {
			row = []rune(lines[y])
		}
		for x := range cells[y] {
			g := vt10x.Glyph{Char: ' ', FG: vt10x.DefaultFG, BG: vt10x.DefaultBG}
			if x < len(row) {
				g.Char = row[x]
			}
			cells[y][x] = g
		}
	}
	got, negative, err := decodeScreenQR(cells, lightTerminal)
	if err != nil {
		t.Fatalf("decodeScreenQR: %v", err)
	}
	if got != want || negative {
		t.Fatalf("decoded %q (negative=%v), want %q as a standard code", got, negative, want)
	}
}

// TestDecodeScreenQRManySecrets reads back codes for many random secrets,
// cycling through the colour profiles and polarities, so that a decoder
// quirk on some data patterns shows here rather than as a flaky e2e run.
func TestDecodeScreenQRManySecrets(t *testing.T) {
	cases := []struct {
		profile  termenv.Profile
		pal      palette
		inverted bool
	}{
		{termenv.TrueColor, darkTerminal, false},
		{termenv.ANSI256, lightTerminal, true},
		{termenv.Ascii, lightTerminal, true},
		{termenv.Ascii, darkTerminal, false},
	}
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
	for i := range 48 {
		c := cases[i%len(cases)]
		raw := []byte(randomText(t, 32))
		secret := make([]byte, 32)
		for j := range secret {
			secret[j] = alphabet[int(raw[j])%len(alphabet)]
		}
		uri := "otpauth://totp/twofa:user" + fmt.Sprint(i) + "?algorithm=SHA1&digits=6&issuer=twofa&period=30&secret=" + string(secret)
		drawn, err := qrview.Render(uri, 1+i%2, c.inverted, c.profile)
		if err != nil {
			t.Fatalf("Render: %v", err)
		}
		vt := vt10x.New(vt10x.WithSize(termCols, termRows))
		_, _ = vt.Write([]byte(" " + strings.ReplaceAll(drawn, "\n", "\x1b[0m\r\n ")))
		cells := vtterm.Glyphs(vt)
		got, _, err := decodeScreenQR(cells, c.pal)
		if err != nil || got != uri {
			t.Fatalf("case %d (%v, inverted=%v): decoded %q, %v\n%s", i, c.profile, c.inverted, got, err, framed(screenText(cells)))
		}
	}
}
