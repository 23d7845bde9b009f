package vtterm

import (
	"bytes"
	"fmt"
)

// Palette is the terminal's own text (FG) and background (BG) colour, as
// 8-bit RGB: what it answers to the OSC 10 and 11 colour queries.
type Palette struct {
	FG, BG [3]uint8
}

// Dark is xterm's default: white text on a black background.
var Dark = Palette{FG: [3]uint8{255, 255, 255}, BG: [3]uint8{0, 0, 0}}

// colourQuery is an OSC query termenv sends to learn the terminal's colours
// and the answer xterm would give.
type colourQuery struct{ query, reply []byte }

// colourQueries returns the background (11) and text (10) queries with
// their answers from pal, in xterm's rgb:RRRR/GGGG/BBBB form.
func colourQueries(pal Palette) []colourQuery {
	answer := func(osc int, c [3]uint8) colourQuery {
		return colourQuery{
			query: fmt.Appendf(nil, "\x1b]%d;?", osc),
			reply: fmt.Appendf(nil, "\x1b]%d;rgb:%02x%02x/%02x%02x/%02x%02x\x1b\\", osc, c[0], c[0], c[1], c[1], c[2], c[2]),
		}
	}
	return []colourQuery{answer(11, pal.BG), answer(10, pal.FG)}
}

// deviceAttributes is the primary device attributes query (DA1) and the
// answer of a VT220-class xterm. Programs send it after a colour query to
// learn, when its answer comes first, that the colour query has none.
var deviceAttributes = colourQuery{query: []byte("\x1b[c"), reply: []byte("\x1b[?62;22c")}

// queryTail is how many bytes of one read are kept to find a query split
// across reads: one less than the longest query.
const queryTail = 8

// answerQueries writes the reply to every colour query that ends in data,
// given carry, the tail of the previous reads, and returns the new tail and
// how many queries it answered. A query split across reads is answered
// once, with the read that completes it.
func answerQueries(queries []colourQuery, carry, data []byte, reply func([]byte)) (tail []byte, answered int) {
	scan := append(append([]byte(nil), carry...), data...)
	for _, q := range queries {
		from := 0
		for {
			i := bytes.Index(scan[from:], q.query)
			if i < 0 {
				break
			}
			end := from + i + len(q.query)
			if end > len(carry) { // not answered with the previous read
				reply(q.reply)
				answered++
			}
			from = end
		}
	}
	if len(scan) > queryTail {
		scan = scan[len(scan)-queryTail:]
	}
	return scan, answered
}
