// Package qrview draws an otpauth URI as a scannable QR code in a terminal,
// using half-block glyphs so two QR modules share one character cell.
package qrview

import (
	"bytes"
	"errors"
	"strings"

	"github.com/mdp/qrterminal/v3"
	"github.com/muesli/termenv"
	"rsc.io/qr"
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

// generate runs qrterminal into a buffer (never its Generate, which probes
// the terminal) and returns the glyph lines. qrterminal panics when the text
// does not fit; that becomes ErrTooLong.
func generate(uri string, quiet int, inverted bool) (lines []string, err error) {
	// Encode first so the usual failure is an error, not a panic.
	if _, err := qr.Encode(uri, qr.L); err != nil {
		return nil, ErrTooLong
	}
	defer func() {
		if r := recover(); r != nil {
			lines, err = nil, ErrTooLong
		}
	}()
	var buf bytes.Buffer
	cfg := qrterminal.Config{
		Level:      qrterminal.L,
		Writer:     &buf,
		HalfBlocks: true,
		QuietZone:  quiet,
		// Names are qrterminal's: BlackWhite = dark module above a light one.
		WhiteChar:      glyphFull,
		BlackChar:      glyphNone,
		WhiteBlackChar: glyphUpper,
		BlackWhiteChar: glyphLower,
	}
	if inverted {
		cfg.WhiteChar, cfg.BlackChar = glyphNone, glyphFull
		cfg.WhiteBlackChar, cfg.BlackWhiteChar = glyphLower, glyphUpper
	}
	qrterminal.GenerateWithConfig(uri, cfg)
	return strings.Split(strings.TrimSuffix(buf.String(), "\n"), "\n"), nil
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
	code, err := qr.Encode(uri, qr.L)
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
