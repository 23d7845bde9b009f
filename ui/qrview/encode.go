package qrview

import (
	"strings"

	"rsc.io/qr/coding"
)

// mode is a QR data mode a segment is encoded in.
type mode int

const (
	modeByte  mode = iota
	modeAlpha      // 0-9 A-Z space $ % * + - . / :
	modeNum        // 0-9
	modes
)

// alphabet is QR's alphanumeric character set.
const alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:"

// charCost is a character's cost in sixths of a bit (8, 5.5 and 3⅓ bits).
var charCost = [modes]int{48, 33, 20}

// countBits is the width of a segment's length field per mode and size
// class (versions 1-9, 10-26, 27-40).
var countBits = [modes][3]int{{8, 16, 16}, {9, 11, 13}, {10, 12, 14}}

// sizeClasses are the first and last version of each size class.
var sizeClasses = [3][2]coding.Version{{1, 9}, {10, 26}, {27, 40}}

// fits reports whether c can be encoded in m.
func (m mode) fits(c byte) bool {
	switch m {
	case modeNum:
		return c >= '0' && c <= '9'
	case modeAlpha:
		return strings.IndexByte(alphabet, c) >= 0
	}
	return true
}

// encode draws text as a level-L QR code of the smallest version it fits
// in, its segments numeric, alphanumeric or bytes, whichever makes it
// shortest (rsc.io/qr's own Encode takes one mode for all of the text).
func encode(text string) (*coding.Code, error) {
	for class, bounds := range sizeClasses {
		segs := segments(text, class)
		for v := bounds[0]; v <= bounds[1]; v++ {
			bits := 0
			for _, s := range segs {
				bits += s.Bits(v)
			}
			if bits > v.DataBytes(coding.L)*8 {
				continue
			}
			plan, err := coding.NewPlan(v, coding.L, 0)
			if err != nil {
				return nil, err
			}
			return plan.Encode(segs...)
		}
	}
	return nil, ErrTooLong
}

// segments splits text into the segments that encode it in the fewest
// bits in a version of size class class: a shortest path over (position,
// mode), where changing mode costs a segment header.
func segments(text string, class int) []coding.Encoding {
	n := len(text)
	const inf = int(^uint(0) >> 1)
	cost := make([][modes]int, n+1)
	from := make([][modes]mode, n+1)
	for i := range cost {
		cost[i] = [modes]int{inf, inf, inf}
	}
	for i := 0; i < n; i++ {
		for m := range modes {
			if !m.fits(text[i]) {
				continue
			}
			for prev := range modes {
				base := 0
				switch {
				case i > 0 && cost[i][prev] == inf:
					continue
				case i > 0:
					base = cost[i][prev]
				}
				if i == 0 || prev != m {
					base += 6 * (4 + countBits[m][class])
				}
				if c := base + charCost[m]; c < cost[i+1][m] {
					cost[i+1][m], from[i+1][m] = c, prev
				}
				if i == 0 {
					break // no previous mode to come from
				}
			}
		}
	}
	return backtrack(text, cost[n], from)
}

// backtrack reads the cheapest path back into segments, first to last.
func backtrack(text string, last [modes]int, from [][modes]mode) []coding.Encoding {
	m := modeByte
	for k := range modes {
		if last[k] < last[m] {
			m = k
		}
	}
	var segs []coding.Encoding
	end := len(text)
	for i := len(text); i > 0; i-- {
		prev := from[i][m]
		if i == 1 || prev != m {
			segs = append(segs, segment(m, text[i-1:end]))
			end = i - 1
		}
		m = prev
	}
	for l, r := 0, len(segs)-1; l < r; l, r = l+1, r-1 {
		segs[l], segs[r] = segs[r], segs[l]
	}
	return segs
}

// segment is s encoded in m.
func segment(m mode, s string) coding.Encoding {
	switch m {
	case modeNum:
		return coding.Num(s)
	case modeAlpha:
		return coding.Alpha(s)
	}
	return coding.String(s)
}
