package e2e

import (
	"errors"
	"fmt"
	"image"
	"image/color"

	"github.com/hinshun/vt10x"
	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/qrcode"
)

// Half-block glyphs: each cell holds two QR modules, one above the other.
const (
	glyphUpper = '▀' // upper half foreground, lower half background
	glyphLower = '▄' // lower half foreground, upper half background
	glyphFull  = '█' // both halves foreground
)

// minQRRowGlyphs is how many half-block glyphs a row needs to count as part
// of a drawn QR code rather than decoration.
const minQRRowGlyphs = 12

// decodeScreenQR finds the QR code drawn with half-block glyphs on the
// screen and decodes it the way a phone camera would see it: each cell is
// split into its upper and lower module, each coloured by the glyph's
// foreground or background, and the result is read with gozxing in either
// polarity. negative reports that it read only as a negative (light
// modules on dark), which a standard drawing is not.
func decodeScreenQR(cells [][]vt10x.Glyph, pal palette) (text string, negative bool, err error) {
	top, bottom, left, right, ok := qrBounds(cells)
	if !ok {
		return "", false, errors.New("no QR code on screen")
	}
	// dark[y][x] for module rows y (two per cell row) and columns x.
	var dark [][]bool
	for y := top; y <= bottom; y++ {
		upper := make([]bool, 0, right-left+1)
		lower := make([]bool, 0, right-left+1)
		for x := left; x <= right; x++ {
			u, l := halves(cells[y][x])
			upper = append(upper, !pal.isLight(u))
			lower = append(lower, !pal.isLight(l))
		}
		dark = append(dark, upper, lower)
	}
	var errs []error
	for _, inverted := range []bool{false, true} {
		grid := dark
		if inverted {
			grid = invert(dark)
		}
		text, err := decodeModules(trimDarkEdges(grid))
		if err == nil {
			return text, inverted, nil
		}
		errs = append(errs, fmt.Errorf("inverted=%v: %w", inverted, err))
	}
	return "", false, errors.Join(errs...)
}

// qrBounds returns the cell rectangle of the QR code: the longest run of
// rows with many half-block glyphs, and the columns those glyphs span.
func qrBounds(cells [][]vt10x.Glyph) (top, bottom, left, right int, ok bool) {
	bestTop, bestLen := -1, 0
	runTop := -1
	for y := 0; y <= len(cells); y++ {
		qrRow := y < len(cells) && blockCount(cells[y]) >= minQRRowGlyphs
		switch {
		case qrRow && runTop < 0:
			runTop = y
		case !qrRow && runTop >= 0:
			if y-runTop > bestLen {
				bestTop, bestLen = runTop, y-runTop
			}
			runTop = -1
		}
	}
	if bestTop < 0 {
		return 0, 0, 0, 0, false
	}
	top, bottom = bestTop, bestTop+bestLen-1
	left, right = len(cells[0]), -1
	for y := top; y <= bottom; y++ {
		for x, g := range cells[y] {
			if isBlock(g.Char) {
				left, right = min(left, x), max(right, x)
			}
		}
	}
	return top, bottom, left, right, true
}

func isBlock(r rune) bool { return r == glyphUpper || r == glyphLower || r == glyphFull }

func blockCount(row []vt10x.Glyph) int {
	n := 0
	for _, g := range row {
		if isBlock(g.Char) {
			n++
		}
	}
	return n
}

// halves returns the colours of a cell's upper and lower half.
func halves(g vt10x.Glyph) (upper, lower vt10x.Color) {
	switch g.Char {
	case glyphUpper:
		return g.FG, g.BG
	case glyphLower:
		return g.BG, g.FG
	case glyphFull:
		return g.FG, g.FG
	default: // a space or anything else shows the background only
		return g.BG, g.BG
	}
}

// palette is the terminal's own text and background colour: what vt10x's
// default colours look like, and what the terminal answers when asked.
type palette struct {
	fg, bg [3]uint8
}

// The two terminals the tests pretend to be.
var (
	darkTerminal  = palette{fg: [3]uint8{255, 255, 255}, bg: [3]uint8{0, 0, 0}}
	lightTerminal = palette{fg: [3]uint8{0, 0, 0}, bg: [3]uint8{255, 255, 255}}
)

// isLight reports whether a vt10x colour looks light on this terminal.
func (p palette) isLight(c vt10x.Color) bool {
	r, g, b := p.rgb(c)
	return 299*int(r)+587*int(g)+114*int(b) >= 128*1000
}

// ansi16 is xterm's palette for the 16 basic colours.
var ansi16 = [16][3]uint8{
	{0, 0, 0}, {205, 0, 0}, {0, 205, 0}, {205, 205, 0},
	{0, 0, 238}, {205, 0, 205}, {0, 205, 205}, {229, 229, 229},
	{127, 127, 127}, {255, 0, 0}, {0, 255, 0}, {255, 255, 0},
	{92, 92, 255}, {255, 0, 255}, {0, 255, 255}, {255, 255, 255},
}

// rgb converts a vt10x colour (default, 16-colour, 256-colour or 24-bit).
func (p palette) rgb(c vt10x.Color) (r, g, b uint8) {
	switch {
	case c == vt10x.DefaultFG:
		return p.fg[0], p.fg[1], p.fg[2]
	case c == vt10x.DefaultBG:
		return p.bg[0], p.bg[1], p.bg[2]
	case c < 16:
		p := ansi16[c]
		return p[0], p[1], p[2]
	case c < 232:
		i := int(c) - 16
		level := func(v int) uint8 {
			if v == 0 {
				return 0
			}
			return uint8(55 + 40*v)
		}
		return level(i / 36), level(i / 6 % 6), level(i % 6)
	case c < 256:
		v := uint8(8 + 10*(int(c)-232))
		return v, v, v
	case c < 1<<24:
		return uint8(c >> 16), uint8(c >> 8), uint8(c)
	}
	return 0, 0, 0
}

func invert(grid [][]bool) [][]bool {
	out := make([][]bool, len(grid))
	for y, row := range grid {
		out[y] = make([]bool, len(row))
		for x, v := range row {
			out[y][x] = !v
		}
	}
	return out
}

// trimDarkEdges drops outer rows and columns that are dark all along: the
// terminal's own background around the code's light quiet zone (the half
// cell a code with an odd number of module rows leaves over).
func trimDarkEdges(grid [][]bool) [][]bool {
	allDarkRow := func(y int) bool {
		for _, v := range grid[y] {
			if !v {
				return false
			}
		}
		return true
	}
	for len(grid) > 0 && allDarkRow(0) {
		grid = grid[1:]
	}
	for len(grid) > 0 && allDarkRow(len(grid)-1) {
		grid = grid[:len(grid)-1]
	}
	if len(grid) == 0 {
		return grid
	}
	allDarkCol := func(x int) bool {
		for _, row := range grid {
			if !row[x] {
				return false
			}
		}
		return true
	}
	l, r := 0, len(grid[0])-1
	for l <= r && allDarkCol(l) {
		l++
	}
	for r >= l && allDarkCol(r) {
		r--
	}
	out := make([][]bool, len(grid))
	for y, row := range grid {
		out[y] = row[l : r+1]
	}
	return out
}

// decodeModules draws the module grid with a light margin of 4 modules and
// decodes it as a QR code: first with the finder-pattern detector, as for a
// photo, at a few pixel sizes (gozxing's detector misplaces the patterns of
// some codes at one size and not another), then with the pure-barcode
// reader, which fits an image that is exactly a code and its margin.
func decodeModules(grid [][]bool) (string, error) {
	if len(grid) == 0 || len(grid[0]) == 0 {
		return "", errors.New("empty module grid")
	}
	attempts := []struct {
		scale int
		hint  gozxing.DecodeHintType
	}{
		{5, gozxing.DecodeHintType_TRY_HARDER},
		{7, gozxing.DecodeHintType_TRY_HARDER},
		{4, gozxing.DecodeHintType_TRY_HARDER},
		{5, gozxing.DecodeHintType_PURE_BARCODE},
	}
	var errs []error
	for _, a := range attempts {
		bmp, err := gozxing.NewBinaryBitmapFromImage(moduleImage(grid, a.scale, 4))
		if err != nil {
			return "", fmt.Errorf("bitmap: %w", err)
		}
		res, err := qrcode.NewQRCodeReader().Decode(bmp, map[gozxing.DecodeHintType]interface{}{a.hint: true})
		if err == nil {
			return res.GetText(), nil
		}
		errs = append(errs, fmt.Errorf("%v at %d px a module: %w", a.hint, a.scale, err))
	}
	return "", fmt.Errorf("decode: %w", errors.Join(errs...))
}

// moduleImage draws grid (true = dark) at scale pixels a module, inside a
// light margin of margin modules.
func moduleImage(grid [][]bool, scale, margin int) *image.Gray {
	w := (len(grid[0]) + 2*margin) * scale
	h := (len(grid) + 2*margin) * scale
	img := image.NewGray(image.Rect(0, 0, w, h))
	for i := range img.Pix {
		img.Pix[i] = 255
	}
	for y, row := range grid {
		for x, d := range row {
			if !d {
				continue
			}
			for dy := range scale {
				for dx := range scale {
					img.SetGray((x+margin)*scale+dx, (y+margin)*scale+dy, color.Gray{Y: 0})
				}
			}
		}
	}
	return img
}
