// Package runewriter passes bytes on to a writer only in whole UTF-8
// sequences, for terminal emulators (vt10x) that drop a character cut in two
// by a read boundary.
package runewriter

import (
	"io"
	"unicode/utf8"
)

// Writer holds back an incomplete UTF-8 sequence at the end of each write
// until the bytes that complete it arrive. It is not safe for concurrent use.
type Writer struct {
	w       io.Writer
	partial []byte
}

// New returns a Writer that writes whole UTF-8 sequences to w.
func New(w io.Writer) *Writer { return &Writer{w: w} }

// Write passes on p, less any incomplete sequence at its end, and reports
// len(p) written unless the underlying writer fails.
func (rw *Writer) Write(p []byte) (int, error) {
	whole := append(rw.partial, p...)
	complete, rest := SplitIncomplete(whole)
	rw.partial = append([]byte(nil), rest...)
	if len(complete) == 0 {
		return len(p), nil
	}
	if _, err := rw.w.Write(complete); err != nil {
		return 0, err
	}
	return len(p), nil
}

// SplitIncomplete splits b before a UTF-8 sequence cut off at its end.
func SplitIncomplete(b []byte) (complete, rest []byte) {
	for i := len(b) - 1; i >= 0 && i >= len(b)-utf8.UTFMax; i-- {
		if utf8.RuneStart(b[i]) {
			if !utf8.FullRune(b[i:]) {
				return b[:i], b[i:]
			}
			break
		}
	}
	return b, nil
}
