package cellwriter

import "github.com/charmbracelet/x/cellbuf"

// cell is one terminal cell: a grapheme and its width, or — in the column a
// wide grapheme covers after its first — the empty string and width 0.
type cell struct {
	s  string
	w  int
	st cellbuf.Style
}

// space is the cell of an empty screen.
var space = cell{s: " ", w: 1}

// blankish reports whether c looks like an empty cell: a space whose style
// shows nothing (a foreground colour or bold on a space is invisible).
func (c cell) blankish() bool {
	return c.s == " " && c.st.Bg == nil && c.st.Attrs&(cellbuf.ReverseAttr|cellbuf.StrikethroughAttr) == 0 &&
		c.st.UlStyle == cellbuf.NoUnderline
}

// same reports whether a and b look the same on a terminal.
func same(a, b cell) bool {
	if a.blankish() && b.blankish() {
		return true
	}
	return a.s == b.s && a.w == b.w && a.st.Equal(&b.st)
}

// grid is a screen's rows; cells past a row's end and rows past the last
// are spaces.
type grid struct {
	rows [][]cell
}

// at returns the cell at x, y.
func (g *grid) at(x, y int) cell {
	if y < 0 || y >= len(g.rows) || x < 0 || x >= len(g.rows[y]) {
		return space
	}
	return g.rows[y][x]
}

// row returns row y, grown to at least n cells.
func (g *grid) row(y, n int) []cell {
	for len(g.rows) <= y {
		g.rows = append(g.rows, nil)
	}
	r := g.rows[y]
	for len(r) < n {
		r = append(r, space)
	}
	g.rows[y] = r
	return r
}

// set puts c at x, y; a wide grapheme also takes the next column, and a
// wide grapheme c overwrites half of is cleared.
func (g *grid) set(x, y int, c cell) {
	if x < 0 || y < 0 {
		return
	}
	r := g.row(y, x+max(c.w, 1))
	if r[x].w == 0 && x > 0 { // the second half of a wide grapheme
		r[x-1] = space
	}
	if r[x].w == 2 && x+1 < len(r) && c.w < 2 {
		r[x+1] = space
	}
	r[x] = c
	if c.w == 2 {
		if x+2 < len(r) && r[x+1].w == 2 {
			r[x+2] = space
		}
		r[x+1] = cell{st: c.st}
	}
}

// eraseRight blanks row y from x on (to width, when known, for a fill with
// a background; otherwise the row just ends at x).
func (g *grid) eraseRight(x, y, width int, fill cell) {
	if x < 0 || y < 0 {
		return
	}
	r := g.row(y, x)
	if x > 0 && x < len(r) && r[x].w == 0 {
		r[x-1] = space
	}
	r = r[:x]
	if !fill.blankish() && width > 0 {
		for len(r) < width {
			r = append(r, fill)
		}
	}
	g.rows[y] = r
}

// eraseLeft blanks row y up to and including x.
func (g *grid) eraseLeft(x, y int, fill cell) {
	r := g.row(y, x+1)
	for i := 0; i <= x; i++ {
		r[i] = fill
	}
	if x+1 < len(r) && r[x+1].w == 0 {
		r[x+1] = space
	}
}

// cut removes the rows from y on.
func (g *grid) cut(y int) {
	if y < len(g.rows) {
		g.rows = g.rows[:max(0, y)]
	}
}

// clip drops what lies outside width×height.
func (g *grid) clip(width, height int) {
	if height > 0 {
		g.cut(height)
	}
	if width <= 0 {
		return
	}
	for y, r := range g.rows {
		if len(r) > width {
			g.eraseRight(width, y, 0, space)
		}
	}
}

// clone returns a copy of g that shares no rows with it.
func (g *grid) clone() grid {
	c := grid{rows: make([][]cell, len(g.rows))}
	for y, r := range g.rows {
		c.rows[y] = append([]cell(nil), r...)
	}
	return c
}

// end is the index after the last cell of row y that does not look blank.
func (g *grid) end(y int) int {
	if y >= len(g.rows) {
		return 0
	}
	r := g.rows[y]
	n := len(r)
	for n > 0 && r[n-1].blankish() {
		n--
	}
	return n
}
