package cellwriter

import (
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/cellbuf"
)

// escape applies an escape sequence: CSI ones by their final byte, the
// cursor mark, and every string sequence (OSC, DCS, APC) passed on.
func (w *Writer) escape(seq []byte) {
	if string(seq) == CursorMark {
		if w.alt {
			w.mark = mark{x: w.x, y: w.y, ok: true, fresh: true}
		}
		return
	}
	switch seq[1] {
	case '[':
		w.csi(seq)
	case ']', 'P', '_', '^', 'X':
		w.send(seq)
	default: // ESC 7, ESC 8, RI, RIS…: not in Bubble Tea's frames
		w.send(seq)
		w.lost()
	}
}

// send passes seq on: raw outside the alternate screen, else after a pen
// reset.
func (w *Writer) send(seq []byte) {
	if !w.alt {
		w.buf.Write(seq)
		return
	}
	w.passthrough(seq)
}

// lost says the terminal may no longer show what w thinks: the next frame
// is drawn whole.
func (w *Writer) lost() {
	w.stale = true
	w.tx = -1
	w.tpenOK = false
}

// csi applies a control sequence. Outside the alternate screen only the
// modes are followed, and everything is passed on.
func (w *Writer) csi(seq []byte) {
	cmd := ansi.Cmd(w.p.Command())
	if cmd.Prefix() == '?' && (cmd.Final() == 'h' || cmd.Final() == 'l') {
		w.mode(seq, cmd.Final() == 'h')
		return
	}
	if !w.alt {
		w.buf.Write(seq)
		return
	}
	if cmd.Prefix() != 0 || cmd.Intermediate() != 0 {
		w.send(seq)
		return
	}
	n := func(i, def int) int {
		v, _ := w.p.Param(i, def)
		return max(v, def)
	}
	switch cmd.Final() {
	case 'm':
		cellbuf.ReadStyle(w.p.Params(), &w.pen)
	case 'H', 'f':
		w.y, w.x = n(0, 1)-1, n(1, 1)-1
	case 'A':
		w.y = max(0, w.y-n(0, 1))
	case 'B':
		w.y += n(0, 1)
	case 'C':
		w.x += n(0, 1)
	case 'D':
		w.x = max(0, w.x-n(0, 1))
	case 'G':
		w.x = n(0, 1) - 1
	case 'd':
		w.y = n(0, 1) - 1
	case 'K':
		v, _ := w.p.Param(0, 0)
		w.eraseLine(v)
	case 'J':
		v, _ := w.p.Param(0, 0)
		w.eraseScreen(v, seq)
	case 'n', 'c': // queries: nothing on screen changes
		w.send(seq)
	default:
		w.send(seq)
		w.lost()
	}
}

// mode follows the private modes that matter: the alternate screen and
// the cursor's visibility. Every mode is passed on.
func (w *Writer) mode(seq []byte, set bool) {
	for _, p := range w.p.Params() {
		switch p.Param(0) {
		case 1049, 1047, 47:
			if set && !w.alt {
				w.alt = true
				w.want, w.have = grid{}, grid{}
				w.x, w.y, w.mark = 0, 0, mark{}
				w.tx, w.tpenOK = -1, false
			} else if !set && w.alt {
				w.setPen(cellbuf.Style{})
				w.alt = false
			}
		case 25:
			w.shown = set
		}
	}
	w.buf.Write(seq)
}

// eraseLine applies EL: 0 to the right of the cursor, 1 to its left, 2 all.
func (w *Writer) eraseLine(how int) {
	w.touch(w.y)
	fill := w.blank()
	switch how {
	case 0:
		w.want.eraseRight(w.x, w.y, w.w, fill)
	case 1:
		w.want.eraseLeft(w.x, w.y, fill)
	case 2:
		w.want.eraseRight(0, w.y, w.w, fill)
	}
}

// eraseScreen applies ED: 0 below the cursor, 1 above it, 2 all (sent as it
// is: both screens are then blank).
func (w *Writer) eraseScreen(how int, seq []byte) {
	switch how {
	case 0:
		w.eraseLine(0)
		w.want.cut(w.y + 1)
		if w.mark.y > w.y {
			w.mark.ok = false
		}
	case 1:
		for y := 0; y < w.y; y++ {
			w.touch(y)
			w.want.eraseRight(0, y, w.w, w.blank())
		}
		w.eraseLine(1)
	case 2:
		w.passthrough(seq)
		w.want, w.have = grid{}, grid{}
		w.mark = mark{}
	default:
		w.send(seq)
	}
}

// blank is the cell erasing leaves: a space in the pen's background.
func (w *Writer) blank() cell {
	return cell{s: " ", w: 1, st: cellbuf.Style{Bg: w.pen.Bg}}
}

// touch notes that the program writes on row y: a mark left there by an
// earlier frame is gone (Bubble Tea redraws a changed line whole).
func (w *Writer) touch(y int) {
	if w.mark.ok && !w.mark.fresh && w.mark.y == y {
		w.mark.ok = false
	}
}

// put writes one grapheme of the given width at the program's cursor.
func (w *Writer) put(s string, width int) {
	w.touch(w.y)
	if w.w > 0 && w.x+width > w.w {
		w.x += width // past the edge: the terminal would wrap; Bubble Tea cuts lines before
		return
	}
	w.want.set(w.x, w.y, cell{s: s, w: width, st: w.pen})
	w.x += width
}
