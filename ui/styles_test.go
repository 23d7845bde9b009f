package ui

import (
	"fmt"
	"io"
	"math"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"
)

// terminalBackgrounds are the backgrounds a style without one of its own is
// drawn on, per theme: the plain ones and a common tinted one (#F5F5F5,
// VS Code's and many dark themes' #1E1E1E).
var terminalBackgrounds = map[bool][]string{
	false: {"#FFFFFF", "#F5F5F5"},
	true:  {"#000000", "#1E1E1E"},
}

// namedStyle is one style of the table, named by its field path.
type namedStyle struct {
	name  string
	style lipgloss.Style
}

// styleTable lists every lipgloss.Style in s, nested structs included.
func styleTable(v reflect.Value, prefix string) []namedStyle {
	var out []namedStyle
	styleType := reflect.TypeOf(lipgloss.Style{})
	for i := 0; i < v.NumField(); i++ {
		f, name := v.Field(i), prefix+v.Type().Field(i).Name
		switch {
		case f.Type() == styleType:
			out = append(out, namedStyle{name, f.Interface().(lipgloss.Style)})
		case f.Kind() == reflect.Struct:
			out = append(out, styleTable(f, name+".")...)
		}
	}
	return out
}

// hexOf is c as #RRGGBB, "" for no colour; any other kind of colour fails.
func hexOf(t *testing.T, what string, c lipgloss.TerminalColor) string {
	t.Helper()
	switch c := c.(type) {
	case lipgloss.NoColor:
		return ""
	case lipgloss.Color:
		if len(c) == 7 && c[0] == '#' {
			return string(c)
		}
	}
	t.Fatalf("%s: colour %#v is not #RRGGBB, so its contrast cannot be checked", what, c)
	return ""
}

// to256 is the #rrggbb termenv draws hex as with 256 colours.
func to256(hex string) string {
	return strings.ToUpper(fmt.Sprint(termenv.ANSI256.Color(hex)))
}

// luminance is WCAG 2's relative luminance of #RRGGBB.
func luminance(hex string) float64 {
	var l float64
	for i, w := range []float64{0.2126, 0.7152, 0.0722} {
		n, _ := strconv.ParseUint(hex[1+2*i:3+2*i], 16, 8)
		c := float64(n) / 255
		if c <= 0.04045 {
			c /= 12.92
		} else {
			c = math.Pow((c+0.055)/1.055, 2.4)
		}
		l += w * c
	}
	return l
}

// contrast is WCAG 2's contrast ratio of two colours, 1 to 21.
func contrast(a, b string) float64 {
	la, lb := luminance(a), luminance(b)
	return (max(la, lb) + 0.05) / (min(la, lb) + 0.05)
}

func TestContrastFormula(t *testing.T) {
	tests := []struct {
		a, b string
		want float64
	}{
		{"#000000", "#FFFFFF", 21},
		{"#FFFFFF", "#FFFFFF", 1},
		{"#777777", "#FFFFFF", 4.48},
	}
	for _, tt := range tests {
		if got := contrast(tt.a, tt.b); math.Abs(got-tt.want) > 0.01 {
			t.Errorf("contrast(%s, %s) = %.2f, want %.2f", tt.a, tt.b, got, tt.want)
		}
	}
}

// TestStyleContrast: every foreground of the style table, text and
// borders, reads at 4.5:1 or more on its own background or, without one,
// on each terminal background of its theme — in 24-bit colour and as
// termenv draws it with 256 colours (tmux's default TERM).
func TestStyleContrast(t *testing.T) {
	for _, dark := range []bool{false, true} {
		s := DefaultStyles(lipgloss.NewRenderer(io.Discard), dark)
		for _, ns := range styleTable(reflect.ValueOf(*s), "") {
			name := fmt.Sprintf("dark=%v/%s", dark, ns.name)
			t.Run(name, func(t *testing.T) {
				bgs := terminalBackgrounds[dark]
				if bg := hexOf(t, name+" background", ns.style.GetBackground()); bg != "" {
					bgs = []string{bg}
				}
				fgs := map[string]string{
					"foreground": hexOf(t, name, ns.style.GetForeground()),
					"border":     hexOf(t, name+" border", ns.style.GetBorderTopForeground()),
				}
				own := ns.style.GetBackground() != lipgloss.NoColor{}
				for what, fg := range fgs {
					for _, bg := range bgs {
						if fg == "" {
							continue
						}
						if c := contrast(fg, bg); c < 4.5 {
							t.Errorf("%s %s on %s: %.2f:1, want at least 4.5:1", what, fg, bg, c)
						}
						fg256, bg256 := to256(fg), bg
						if own {
							bg256 = to256(bg)
						}
						if c := contrast(fg256, bg256); c < 4.5 {
							t.Errorf("%s %s on %s with 256 colours (%s on %s): %.2f:1, want at least 4.5:1", what, fg, bg, fg256, bg256, c)
						}
					}
				}
			})
		}
	}
}

// TestFooterKeysStandOutIn16Colours: with 16 colours, a footer key and its
// description differ in weight or colour.
func TestFooterKeysStandOutIn16Colours(t *testing.T) {
	for _, dark := range []bool{false, true} {
		h := DefaultStyles(lipgloss.NewRenderer(io.Discard), dark).Footer.Help
		pairs := map[string][2]lipgloss.Style{"short": {h.ShortKey, h.ShortDesc}, "full": {h.FullKey, h.FullDesc}}
		for name, p := range pairs {
			key, desc := p[0], p[1]
			ansi := func(s lipgloss.Style) termenv.Color {
				return termenv.ANSI.Color(hexOf(t, name, s.GetForeground()))
			}
			if key.GetBold() == desc.GetBold() && ansi(key) == ansi(desc) {
				t.Errorf("dark=%v %s help: key and description share weight and 16-colour colour %v", dark, name, ansi(key))
			}
		}
	}
}
