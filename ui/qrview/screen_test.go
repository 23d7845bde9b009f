package qrview

import (
	"image"
	"image/color"
	"strconv"
	"strings"
	"testing"

	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/qrcode"
)

// terminal is the default foreground and background of a simulated
// terminal: what a cell shows where the output sets no colour.
type terminal struct {
	fg, bg uint8 // grey levels
}

var (
	darkTerminal  = terminal{fg: 0xE0, bg: 0x10}
	lightTerminal = terminal{fg: 0x20, bg: 0xF8}
)

// screen turns rendered output into what the terminal shows: a grid of
// half-cells (two per character cell, upper then lower), each true when
// dark. It understands the only escapes Render may emit: SGR reset and
// 24-bit foreground/background colours.
func screen(t *testing.T, out string, term terminal) [][]bool {
	t.Helper()
	var rows [][]bool
	for _, line := range strings.Split(out, "\n") {
		fg, bg := term.fg, term.bg
		var top, bottom []bool
		for i := 0; i < len(line); {
			if strings.HasPrefix(line[i:], "\x1b[") {
				end := strings.IndexByte(line[i:], 'm')
				if end < 0 {
					t.Fatalf("unterminated escape in %q", line)
				}
				fg, bg = sgr(t, line[i+2:i+end], fg, bg, term)
				i += end + 1
				continue
			}
			r, size := []rune(line[i:])[0], len(string([]rune(line[i:])[0]))
			i += size
			up, down := bg, bg
			switch string(r) {
			case glyphUpper:
				up = fg
			case glyphLower:
				down = fg
			case glyphFull:
				up, down = fg, fg
			case glyphNone:
			default:
				t.Fatalf("unexpected rune %q in QR output", r)
			}
			top = append(top, up < 0x80)
			bottom = append(bottom, down < 0x80)
		}
		rows = append(rows, top, bottom)
	}
	return rows
}

func sgr(t *testing.T, params string, fg, bg uint8, term terminal) (uint8, uint8) {
	t.Helper()
	p := strings.Split(params, ";")
	for i := 0; i < len(p); i++ {
		switch p[i] {
		case "", "0":
			fg, bg = term.fg, term.bg
		case "39":
			fg = term.fg
		case "49":
			bg = term.bg
		case "38", "48":
			if i+4 >= len(p) || p[i+1] != "2" {
				t.Fatalf("unsupported colour escape %q", params)
			}
			var sum int
			for _, s := range p[i+2 : i+5] {
				n, err := strconv.Atoi(s)
				if err != nil {
					t.Fatalf("bad colour escape %q", params)
				}
				sum += n
			}
			if p[i] == "38" {
				fg = uint8(sum / 3)
			} else {
				bg = uint8(sum / 3)
			}
			i += 4
		default:
			t.Fatalf("unexpected SGR parameter %q in %q", p[i], params)
		}
	}
	return fg, bg
}

// photo draws the half-cells as a picture with a margin of terminal
// background around them, as a phone camera would see the window.
func photo(cells [][]bool, term terminal, invert bool) image.Image {
	const scale, margin = 4, 6
	h, w := len(cells), len(cells[0])
	img := image.NewGray(image.Rect(0, 0, (w+2*margin)*scale, (h+2*margin)*scale))
	for y := range img.Bounds().Dy() {
		for x := range img.Bounds().Dx() {
			v := term.bg
			cy, cx := y/scale-margin, x/scale-margin
			if cy >= 0 && cy < h && cx >= 0 && cx < w {
				v = 0xFF
				if cells[cy][cx] {
					v = 0x00
				}
			}
			if invert {
				v = 0xFF - v
			}
			img.SetGray(x, y, color.Gray{Y: v})
		}
	}
	return img
}

func decode(t *testing.T, img image.Image) (string, error) {
	t.Helper()
	bmp, err := gozxing.NewBinaryBitmapFromImage(img)
	if err != nil {
		t.Fatalf("bitmap: %v", err)
	}
	hints := map[gozxing.DecodeHintType]any{gozxing.DecodeHintType_TRY_HARDER: true}
	res, err := qrcode.NewQRCodeReader().Decode(bmp, hints)
	if err != nil {
		return "", err
	}
	return res.GetText(), nil
}
