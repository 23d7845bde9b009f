// Package safetext makes untrusted text safe for a terminal: what a server
// sends and what a settings file holds can carry escape sequences that set
// the window title, write the clipboard, clear the screen, make links, or
// ask the terminal a question whose answer is typed back as input. Line and
// Text remove them whole, with every other control character and the
// invisible characters that reorder or hide text (bidi overrides, isolates
// and marks, zero-width spaces); Visible and the Scrub walker (scrub.go)
// check the strings that must arrive exactly as sent (tokens, codes).
package safetext

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// The introducers of escape sequences, in their 7-bit (ESC + a byte) and
// 8-bit (one C1 character) forms.
const (
	esc = 0x1b
	bel = 0x07
	can = 0x18 // cancels a sequence in progress
	sub = 0x1a // cancels a sequence in progress

	c1DCS = 0x90 // device control string
	c1SOS = 0x98 // start of string
	c1CSI = 0x9b // control sequence introducer
	c1ST  = 0x9c // string terminator
	c1OSC = 0x9d // operating system command
	c1PM  = 0x9e // privacy message
	c1APC = 0x9f // application program command
)

// Line returns s as one line of plain text: escape sequences (CSI, OSC,
// DCS, SOS, PM, APC and two-character escapes, 7-bit or 8-bit) removed
// with their parameters and payload, every other control character (C0,
// DEL, C1) and invisible formatting character removed, and each run of
// whitespace (tabs and line breaks included) made one space, trimmed.
func Line(s string) string {
	return strings.Join(strings.Fields(strip(s, false)), " ")
}

// Text is Line for text of several lines (a clipboard payload): line breaks
// are kept (CR LF and CR become LF), spaces within a line are kept as they
// are, everything else Line removes is removed.
func Text(s string) string { return strip(s, true) }

// IsLine reports whether s is already what Line makes of it.
func IsLine(s string) bool { return Line(s) == s }

// Visible reports whether s is one or more printable ASCII characters
// without spaces, the only characters a token, secret or code may have.
func Visible(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] <= ' ' || s[i] > '~' {
			return false
		}
	}
	return true
}

// strip removes escape sequences, controls and invisible characters; tabs
// and line breaks become spaces, or with lines line breaks stay (as LF).
func strip(s string, lines bool) string {
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && n <= 1 {
			i++ // a byte that is not UTF-8 (a raw 8-bit C1 among them)
			continue
		}
		switch {
		case r == esc:
			i = skipEscape(s, i+n)
			continue
		case r == c1CSI:
			i = skipCSI(s, i+n)
			continue
		case r == c1OSC || r == c1DCS || r == c1SOS || r == c1PM || r == c1APC:
			i = skipString(s, i+n, r == c1OSC)
			continue
		case r == '\r' && lines:
			b.WriteByte('\n')
			if strings.HasPrefix(s[i+n:], "\n") {
				n++
			}
		case r == '\n' && lines:
			b.WriteByte('\n')
		case unicode.IsSpace(r):
			b.WriteByte(' ')
		case hidden(r):
		default:
			b.WriteRune(r)
		}
		i += n
	}
	return b.String()
}

// hidden reports whether r is a control character (C0, DEL, C1) or an
// invisible formatting character (Unicode Cf: bidi embeddings, overrides,
// isolates and marks, zero-width spaces, the BOM, tags), except the two
// joiners some scripts and emoji need.
func hidden(r rune) bool {
	if r < ' ' || r >= 0x7f && r <= 0x9f {
		return true
	}
	if r == '\u200c' || r == '\u200d' {
		return false
	}
	return unicode.Is(unicode.Cf, r)
}

// skipEscape returns the index just past the escape sequence whose ESC
// ends before i. A lone ESC (at the end, or before a character no sequence
// starts with) is dropped alone.
func skipEscape(s string, i int) int {
	if i >= len(s) {
		return i
	}
	switch c := s[i]; {
	case c == '[':
		return skipCSI(s, i+1)
	case c == ']':
		return skipString(s, i+1, true)
	case c == 'P' || c == 'X' || c == '^' || c == '_':
		return skipString(s, i+1, false)
	case c >= 0x20 && c <= 0x2f: // intermediates, then one final byte: ESC ( B
		for i < len(s) && s[i] >= 0x20 && s[i] <= 0x2f {
			i++
		}
		if i < len(s) && s[i] >= 0x30 && s[i] <= 0x7e {
			i++
		}
		return i
	case c >= 0x30 && c <= 0x7e: // ESC 7, ESC c, ESC M, ...
		return i + 1
	}
	return i
}

// skipCSI returns the index past a control sequence's parameter and
// intermediate bytes and its final byte, starting at i. A byte that cannot
// be in a sequence ends it there and is read as text (terminals run C0
// controls inside a sequence; this removes them instead).
func skipCSI(s string, i int) int {
	for i < len(s) {
		c := s[i]
		switch {
		case c >= 0x20 && c <= 0x3f:
			i++
		case c >= 0x40 && c <= 0x7e:
			return i + 1
		case c == can || c == sub:
			return i + 1
		default:
			return i
		}
	}
	return i
}

// skipString returns the index past a control string starting at i (an
// OSC, DCS, SOS, PM or APC payload): up to and including its terminator,
// ST (ESC \ or C1 ST) or, for an OSC, BEL; CAN and SUB cancel it. An
// unterminated string runs to the end of s, as a terminal would swallow it.
func skipString(s string, i int, osc bool) int {
	for i < len(s) {
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == bel && osc, r == c1ST, r == can, r == sub:
			return i + n
		case r == esc:
			if i+1 < len(s) && s[i+1] == '\\' {
				return i + 2
			}
			// ESC inside a string ends it and starts a new sequence.
			return i
		}
		i += n
	}
	return i
}

// Escape returns s with every control and invisible character written as
// a Go escape (\x1b, \u202e), for a log where what was sent must be seen
// and must not act: ESC becomes the four characters \x1b, so no sequence
// survives.
func Escape(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && n <= 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case r < 0x80 && hidden(r):
			fmt.Fprintf(&b, `\x%02x`, r)
		case hidden(r) || unicode.IsSpace(r) && r != ' ':
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.WriteRune(r)
		}
		i += n
	}
	return b.String()
}
