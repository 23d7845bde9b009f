package vtterm

import (
	"bytes"
	"encoding/base64"
)

// osc52 is the start of a clipboard write (OSC 52 for the clipboard
// selection); BEL or ST ends it.
var osc52 = []byte("\x1b]52;c;")

// maxOSC52 bounds a clipboard write the terminal keeps: larger ones are dropped.
const maxOSC52 = 1 << 20

// clipboard keeps what programs put on the terminal's clipboard with OSC
// 52, as a terminal that allows it does: the last write wins. Writes split
// across reads are joined.
type clipboard struct {
	pending []byte // a write begun but not yet ended, from osc52 on
	text    string // the last complete write, decoded
	writes  int
}

// feed scans data for clipboard writes.
func (c *clipboard) feed(data []byte) {
	buf := append(c.pending, data...)
	c.pending = nil
	for {
		i := bytes.Index(buf, osc52)
		if i < 0 {
			// Keep a tail that may be the start of the next write.
			for k := min(len(osc52)-1, len(buf)); k > 0; k-- {
				if bytes.HasPrefix(osc52, buf[len(buf)-k:]) {
					c.pending = append([]byte(nil), buf[len(buf)-k:]...)
					break
				}
			}
			return
		}
		body := buf[i+len(osc52):]
		end, skip := osc52End(body)
		if end < 0 {
			if len(body) <= maxOSC52 {
				c.pending = append([]byte(nil), buf[i:]...)
			}
			return
		}
		if text, err := base64.StdEncoding.DecodeString(string(body[:end])); err == nil {
			c.text = string(text)
			c.writes++
		}
		buf = body[end+skip:]
	}
}

// osc52End finds the end of a clipboard write's payload: its index and the
// terminator's length, or -1.
func osc52End(body []byte) (end, skip int) {
	bel := bytes.IndexByte(body, '\a')
	st := bytes.Index(body, []byte("\x1b\\"))
	switch {
	case bel >= 0 && (st < 0 || bel < st):
		return bel, 1
	case st >= 0:
		return st, 2
	}
	return -1, 0
}
