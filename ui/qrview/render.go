// Package qrview draws an otpauth URI as a scannable QR code in a terminal,
// using half-block glyphs so two QR modules share one character cell.
package qrview

import (
	"errors"
	"strings"

	"github.com/muesli/termenv"
)

// ErrEmpty is returned when there is nothing to encode.
var ErrEmpty = errors.New("qrview: nothing to encode")

// ErrTooLong is returned when the text does not fit in a QR code at level L.
var ErrTooLong = errors.New("qrview: text too long for a QR code")

// Half-block glyphs: the glyph's ink is the upper half, the lower half, both or neither.
const (
	glyphUpper = "▀"
	glyphLower = "▄"
	glyphFull  = "█"
	glyphNone  = " "
)

// Explicit colours: the ink is always white and the cell background black,
// so which modules become ink decides the polarity.
const (
	inkColour = "#FFFFFF"
	bgColour  = "#000000"
)

// Render draws uri as a level-L QR code with the given quiet zone (at least
// 1 module) and returns the lines joined by "\n", without a trailing newline.
//
// The glyph ink stands for the light modules when inverted is false and for
// the dark modules when it is true. With colour (any lipgloss profile except
// Ascii, so not under NO_COLOR) the ink is painted white on an explicit
// black background: inverted=false is then a standard dark-on-light code on
// any terminal. Without colour the ink is the terminal's own foreground, so
// inverted=false is standard on a dark background and inverted=true on a
// light one. profile is the colour profile of the terminal it is drawn on
// (its program's renderer's). Nothing is cached here: a Model keeps its own.
func Render(uri string, quiet int, inverted bool, profile termenv.Profile) (string, error) {
	if uri == "" {
		return "", ErrEmpty
	}
	quiet = max(quiet, 1)
	lines, err := generate(uri, quiet, inverted)
	if err != nil {
		return "", err
	}
	return paint(lines, quiet, inverted, profile), nil
}

// generate encodes uri (encode: the fewest modules) and draws it as glyph
// lines, two module rows per line, the quiet zone around it light. A QR
// has an odd number of module rows, so one line is half outside the code
// and its quiet zone: the first line with an odd quiet zone, the last with
// an even one; that half is drawn dark here, and paint redraws the line.
func generate(uri string, quiet int, inverted bool) ([]string, error) {
	code, err := encode(uri)
	if err != nil {
		return nil, ErrTooLong
	}
	side := code.Size + 2*quiet
	top := -quiet - quiet%2 // the first line's upper module row
	light := func(x, y int) bool {
		switch {
		case y < -quiet || y >= code.Size+quiet:
			return false // the half line outside the quiet zone
		case x < 0 || y < 0 || x >= code.Size || y >= code.Size:
			return true // quiet zone
		}
		return !code.Black(x, y)
	}
	lines := make([]string, (side+1)/2)
	var b strings.Builder
	for i := range lines {
		b.Reset()
		y := top + 2*i
		for x := -quiet; x < code.Size+quiet; x++ {
			// The ink stands for the light modules, or the dark ones when inverted.
			b.WriteString(glyph(light(x, y) != inverted, light(x, y+1) != inverted))
		}
		lines[i] = b.String()
	}
	return lines, nil
}

// glyph is the half block inked above, below, both or neither.
func glyph(upper, lower bool) string {
	switch {
	case upper && lower:
		return glyphFull
	case upper:
		return glyphUpper
	case lower:
		return glyphLower
	}
	return glyphNone
}

// paint colours the lines and fixes the one line that is half outside the
// code: a QR has an odd number of module rows, so with an odd quiet zone the
// first line's upper half lies outside it, with an even one the last line's
// lower half. qrterminal draws that half as a dark module; here it is left
// to the terminal's own background and only the quiet-zone half is drawn.
func paint(lines []string, quiet int, inverted bool, profile termenv.Profile) string {
	edge, glyph := len(lines)-1, glyphUpper
	if quiet%2 == 1 {
		edge, glyph = 0, glyphLower
	}
	width := len([]rune(lines[0]))
	colour := profile != termenv.Ascii

	out := make([]string, len(lines))
	for i, line := range lines {
		switch {
		case i == edge && colour:
			// The quiet zone is light: white in a standard code, black in an inverted one.
			quietColour := inkColour
			if inverted {
				quietColour = bgColour
			}
			out[i] = profile.String(strings.Repeat(glyph, width)).Foreground(profile.Color(quietColour)).String()
		case i == edge && inverted:
			// No colour, quiet zone not inked: the terminal background is the quiet zone.
			out[i] = strings.Repeat(glyphNone, width)
		case i == edge:
			out[i] = strings.Repeat(glyph, width)
		case colour:
			out[i] = profile.String(line).Foreground(profile.Color(inkColour)).Background(profile.Color(bgColour)).String()
		default:
			out[i] = line
		}
	}
	return strings.Join(out, "\n")
}

// modules reports the side of uri's level-L QR code in modules.
func modules(uri string) (int, error) {
	if uri == "" {
		return 0, ErrEmpty
	}
	code, err := encode(uri)
	if err != nil {
		return 0, ErrTooLong
	}
	return code.Size, nil
}

// cells reports the size in character cells of a code of n modules with the
// given quiet zone: two module rows per cell.
func cells(n, quiet int) (w, h int) {
	side := n + 2*quiet
	return side, (side + 1) / 2
}
