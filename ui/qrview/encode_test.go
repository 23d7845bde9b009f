package qrview

import (
	"strings"
	"testing"

	"github.com/muesli/termenv"
	"github.com/twofa/twofa/internal/otpauth"
	"rsc.io/qr"
	"rsc.io/qr/coding"
)

const encodeSecret = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"

// TestEncodeShortest: the shortest URI in mixed segments gives the sizes
// the QR step is laid out for — a 30-character address in 37 modules (41×21
// cells with a quiet zone of 2: 80x24 has room), a 64-character one in 41
// (43×22 with 1) — never more modules than one byte segment, and reads
// back whole.
func TestEncodeShortest(t *testing.T) {
	tests := []struct {
		account string
		modules int
	}{
		{"alice", 33},
		{"firstname.lastname@example.com", 37},
		{"José 山田", 37},
		{strings.Repeat("a", 52) + "@example.com", 41},
		{"42", 33},
	}
	for _, tt := range tests {
		t.Run(tt.account, func(t *testing.T) {
			uri := otpauth.URI(encodeSecret, "twofa", tt.account)
			code, err := encode(uri)
			if err != nil {
				t.Fatal(err)
			}
			if code.Size != tt.modules {
				t.Errorf("%d modules, want %d", code.Size, tt.modules)
			}
			if bytesOnly, err := qr.Encode(uri, qr.L); err != nil || bytesOnly.Size < code.Size {
				t.Errorf("one byte segment gives %v modules (%v), fewer than %d", bytesOnly, err, code.Size)
			}
			out, err := Render(uri, 2, false, termenv.TrueColor)
			if err != nil {
				t.Fatal(err)
			}
			got, err := decode(t, photo(screen(t, out, darkTerminal), darkTerminal, false))
			if err != nil || got != uri {
				t.Fatalf("decoded %q (%v), want %q", got, err, uri)
			}
		})
	}
}

// TestSegments: the secret and other runs of QR's alphanumeric or numeric
// characters get their own segment when that saves bits, and nothing else
// does.
func TestSegments(t *testing.T) {
	tests := []struct {
		text string
		want []coding.Encoding
	}{
		{"otpauth://totp/bob?secret=" + encodeSecret, []coding.Encoding{coding.String("otpauth://totp/bob?secret="), coding.Alpha(encodeSecret)}},
		{"abc", []coding.Encoding{coding.String("abc")}},
		{"a1b", []coding.Encoding{coding.String("a1b")}},
		{"ABC", []coding.Encoding{coding.Alpha("ABC")}},
		{"0123456789", []coding.Encoding{coding.Num("0123456789")}},
		{"x" + strings.Repeat("7", 30), []coding.Encoding{coding.String("x"), coding.Num(strings.Repeat("7", 30))}},
	}
	for _, tt := range tests {
		got := segments(tt.text, 0)
		if len(got) != len(tt.want) {
			t.Errorf("segments(%q) = %v, want %v", tt.text, got, tt.want)
			continue
		}
		for i := range got {
			if got[i] != tt.want[i] {
				t.Errorf("segments(%q) = %v, want %v", tt.text, got, tt.want)
				break
			}
		}
	}
}
