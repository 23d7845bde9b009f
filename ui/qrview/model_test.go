package qrview

import (
	"errors"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"
	"github.com/muesli/termenv"
)

// typicalURI is what the client draws for the longest account name the QR
// step is made for, 64 characters: the shortest URI (internal/otpauth),
// a 32-character base32 secret in an alphanumeric segment.
const typicalURI = "otpauth://totp/twofa:firstname.middlename.lastname-of-a-longer-name@example-corp1.com?issuer=twofa&secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"

func TestNeededTypicalURI(t *testing.T) {
	w, h := New(typicalURI, true, termenv.Ascii).Needed()
	if w != 43 || h != 22 {
		t.Fatalf("Needed() = %dx%d, want 43x22", w, h)
	}
}

// TestViewDecodes reads the code off a simulated screen the way a phone
// would and checks the URI comes back: with and without colour, on dark and
// light terminals, flipped or not, at the smallest size that fits (quiet
// zone 1) and at the size that allows quiet zone 2.
func TestViewDecodes(t *testing.T) {
	sizes := []struct {
		name         string
		w, h         int
		cellW, cellH int
	}{
		{"smallest 43x22", 43, 22, 43, 22},
		{"roomy 80x24", 80, 24, 45, 23},
	}
	profiles := []struct {
		name string
		p    termenv.Profile
	}{
		{"colour", termenv.TrueColor},
		{"NO_COLOR", termenv.Ascii},
	}
	terms := []struct {
		name string
		dark bool
		term terminal
	}{
		{"dark terminal", true, darkTerminal},
		{"light terminal", false, lightTerminal},
	}
	for _, size := range sizes {
		for _, prof := range profiles {
			for _, tm := range terms {
				for _, flipped := range []bool{false, true} {
					name := size.name + "/" + prof.name + "/" + tm.name
					if flipped {
						name += "/inverted"
					}
					t.Run(name, func(t *testing.T) {
						m := New(typicalURI, tm.dark, prof.p).SetSize(size.w, size.h)
						if flipped {
							m = m.Invert()
						}
						if !m.Fits() {
							t.Fatalf("Fits() = false at %dx%d", size.w, size.h)
						}
						out := m.View()
						lines := strings.Split(out, "\n")
						if len(lines) != size.cellH {
							t.Fatalf("%d lines, want %d", len(lines), size.cellH)
						}
						for i, l := range lines {
							if w := ansi.StringWidth(l); w != size.cellW {
								t.Fatalf("line %d is %d cells wide, want %d", i, w, size.cellW)
							}
						}
						cells := screen(t, out, tm.term)
						// Module (0,0) is the dark corner of a finder pattern; a
						// standard code shows it dark, an inverted one light.
						q := (size.cellW - 41) / 2
						if got := cells[q+q%2][q]; got == flipped {
							t.Fatalf("top-left module dark=%v, want %v", got, !flipped)
						}
						// The half-row beyond the quiet zone (a QR has an odd
						// number of module rows) shows the terminal background.
						outside := cells[0]
						if q%2 == 0 {
							outside = cells[len(cells)-1]
						}
						for x, dark := range outside {
							if dark != (tm.term.bg < 0x80) {
								t.Fatalf("half-cell %d outside the code is dark=%v, want the terminal background", x, dark)
							}
						}
						got, err := decode(t, photo(cells, tm.term, flipped))
						if err != nil {
							t.Fatalf("decode: %v\n%s", err, out)
						}
						if got != typicalURI {
							t.Fatalf("decoded %q, want %q", got, typicalURI)
						}
					})
				}
			}
		}
	}
}

func TestFitsAndQuietZone(t *testing.T) {
	tests := []struct {
		w, h      int
		fits      bool
		wantLines int
	}{
		{43, 22, true, 22},
		{42, 22, false, 0},
		{43, 21, false, 0},
		{44, 23, true, 22},
		{45, 22, true, 22},
		{45, 23, true, 23},
		{200, 60, true, 23},
		{0, 0, false, 0},
	}
	for _, tt := range tests {
		m := New(typicalURI, true, termenv.Ascii).SetSize(tt.w, tt.h)
		if m.Fits() != tt.fits {
			t.Errorf("%dx%d: Fits() = %v, want %v", tt.w, tt.h, m.Fits(), tt.fits)
			continue
		}
		if tt.fits {
			if n := strings.Count(m.View(), "\n") + 1; n != tt.wantLines {
				t.Errorf("%dx%d: %d lines, want %d", tt.w, tt.h, n, tt.wantLines)
			}
		}
	}
}

// TestTooSmallGolden pins the fallback text, wrapped to a 40x15 window and
// unwrapped when no width is known.
func TestTooSmallGolden(t *testing.T) {
	tests := []struct {
		name string
		w, h int
	}{
		{"40x15", 40, 15},
		{"80x21", 80, 21},
		{"nosize", 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := New(typicalURI, true, termenv.Ascii).SetSize(tt.w, tt.h)
			out := m.View()
			if !strings.Contains(strings.ReplaceAll(out, "\n", " "), "needs 43×22") {
				t.Fatalf("fallback does not name the size needed:\n%s", out)
			}
			for _, l := range strings.Split(out, "\n") {
				if tt.w > 0 && ansi.StringWidth(l) > tt.w {
					t.Fatalf("line %q is wider than %d", l, tt.w)
				}
			}
			golden.RequireEqual(t, []byte(out))
		})
	}
}

func TestCannotEncode(t *testing.T) {
	tests := []struct {
		name string
		uri  string
		want error
	}{
		{"empty", "", ErrEmpty},
		{"too long", "otpauth://totp/x?secret=" + strings.Repeat("A", 5000), ErrTooLong},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := New(tt.uri, true, termenv.Ascii).SetSize(200, 200)
			if !errors.Is(m.Err(), tt.want) {
				t.Fatalf("Err() = %v, want %v", m.Err(), tt.want)
			}
			if m.Fits() {
				t.Fatal("Fits() = true for a URI that cannot be drawn")
			}
			if w, h := m.Needed(); w != 0 || h != 0 {
				t.Fatalf("Needed() = %dx%d, want 0x0", w, h)
			}
			if !strings.Contains(m.View(), "press k for the manual entry key") {
				t.Fatalf("View() = %q, want a pointer to the manual key", m.View())
			}
			if _, err := Render(tt.uri, 1, false, termenv.Ascii); !errors.Is(err, tt.want) {
				t.Fatalf("Render error = %v, want %v", err, tt.want)
			}
		})
	}
}

func TestInvertToggles(t *testing.T) {
	m := New(typicalURI, true, termenv.TrueColor).SetSize(80, 24)
	a := m.View()
	b := m.Invert().View()
	if a == b {
		t.Fatal("Invert() did not change the picture")
	}
	if c := m.Invert().Invert().View(); c != a {
		t.Fatal("inverting twice did not restore the picture")
	}
}
