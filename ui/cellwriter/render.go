package cellwriter

import (
	"strconv"

	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/cellbuf"
)

// gapMax is the longest run of unchanged cells rewritten to join two
// changes on a row rather than moving the cursor over it.
const gapMax = 4

// render sends what the program's screen changed since the terminal's, on
// the alternate screen, then puts the terminal's cursor at the mark.
func (w *Writer) render() {
	if !w.alt {
		return
	}
	rows := len(w.want.rows)
	if w.h > 0 {
		rows = min(rows, w.h)
	}
	n := max(rows, len(w.have.rows))
	if w.h > 0 {
		n = min(n, w.h) // rows past the bottom are gone; a move there would scroll
	}
	for y := 0; y < n; y++ {
		w.renderRow(y)
	}
	if w.stale && (w.h == 0 || rows < w.h) {
		w.moveTo(0, rows)
		w.setPen(cellbuf.Style{})
		w.buf.WriteString(ansi.EraseScreenBelow)
	}
	w.stale = false
	w.have = w.want.clone()
	w.placeCursor()
}

// renderRow sends the changed cells of row y, and erases what the terminal
// shows past the row's last visible cell.
func (w *Writer) renderRow(y int) {
	end := w.want.end(y)
	for x := 0; x < end; {
		if !w.differs(x, y) {
			x++
			continue
		}
		to := x + 1
		for to < end {
			if w.differs(to, y) {
				to++
				continue
			}
			gap := 1
			for to+gap < end && gap <= gapMax && !w.differs(to+gap, y) {
				gap++
			}
			if to+gap >= end || gap > gapMax {
				break
			}
			to += gap
		}
		w.emit(x, to, y)
		x = to
	}
	if w.stale || w.have.end(y) > end {
		w.moveTo(end, y)
		w.setPen(cellbuf.Style{})
		w.buf.WriteString(ansi.EraseLineRight)
	}
}

// differs reports whether the terminal shows something else at x, y than
// the program drew.
func (w *Writer) differs(x, y int) bool {
	return w.stale || !same(w.want.at(x, y), w.have.at(x, y))
}

// emit sends cells x up to to of row y.
func (w *Writer) emit(x, to, y int) {
	if x > 0 && w.want.at(x, y).w == 0 {
		x-- // start at the wide grapheme this column is half of
	}
	w.moveTo(x, y)
	for i := x; i < to; i++ {
		c := w.want.at(i, y)
		if c.w == 0 {
			continue
		}
		w.setPen(c.st)
		w.buf.WriteString(c.s)
		w.tx += c.w
	}
	if w.w > 0 && w.tx >= w.w {
		w.tx = -1 // at the right edge terminals differ on where the cursor is
	}
}

// moveTo moves the terminal's cursor to x, y by the shortest sequence;
// never below the bottom row, where a line feed would scroll.
func (w *Writer) moveTo(x, y int) {
	if w.h > 0 {
		y = min(y, w.h-1)
	}
	if w.tx == x && w.ty == y {
		return
	}
	seq := ansi.CursorPosition(x+1, y+1)
	if w.tx >= 0 && y == w.ty+1 && (x == 0 || x == w.tx) {
		seq = "\n"
		if x == 0 && w.tx != 0 {
			seq = "\r\n"
		}
	} else if w.tx >= 0 && w.ty == y {
		var rel string
		switch {
		case x == 0:
			rel = "\r"
		case x > w.tx:
			rel = "\x1b[" + count(x-w.tx) + "C"
		default:
			rel = "\x1b[" + count(w.tx-x) + "D"
		}
		if len(rel) < len(seq) {
			seq = rel
		}
	}
	w.buf.WriteString(seq)
	w.tx, w.ty = x, y
}

// count is a cursor movement's parameter: nothing for 1.
func count(n int) string {
	if n == 1 {
		return ""
	}
	return strconv.Itoa(n)
}

// setPen makes st the terminal's pen.
func (w *Writer) setPen(st cellbuf.Style) {
	if w.tpenOK && w.tpen.Equal(&st) {
		return
	}
	if st.Empty() {
		w.buf.WriteString(ansi.ResetStyle)
	} else {
		w.buf.WriteString("\x1b[0;" + st.Sequence()[2:])
	}
	w.tpen, w.tpenOK = st, true
}

// placeCursor shows the terminal's cursor at the frame's mark, or hides it
// when the frame has none.
func (w *Writer) placeCursor() {
	m := w.mark
	visible := m.ok && (w.h == 0 || m.y < w.h)
	if visible {
		x := m.x
		if w.w > 0 {
			x = min(x, w.w-1)
		}
		w.moveTo(x, m.y)
	}
	if visible != w.shown {
		if visible {
			w.buf.WriteString(ansi.ShowCursor)
		} else {
			w.buf.WriteString(ansi.HideCursor)
		}
		w.shown = visible
	}
}
