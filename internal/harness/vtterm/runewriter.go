package vtterm

import (
	"io"
	"unicode/utf8"
)

// runeWriter holds back an incomplete UTF-8 sequence at the end of each write
// until the bytes that complete it arrive. It is not safe for concurrent use.
type runeWriter struct {
	w       io.Writer
	partial []byte
}

// newRuneWriter returns a runeWriter that writes whole UTF-8 sequences to w.
func newRuneWriter(w io.Writer) *runeWriter { return &runeWriter{w: w} }

// Write passes on p, less any incomplete sequence at its end, and reports
// len(p) written unless the underlying writer fails.
func (rw *runeWriter) Write(p []byte) (int, error) {
	whole := append(rw.partial, p...)
	complete, rest := splitIncomplete(whole)
	rw.partial = append([]byte(nil), rest...)
	if len(complete) == 0 {
		return len(p), nil
	}
	if _, err := rw.w.Write(complete); err != nil {
		return 0, err
	}
	return len(p), nil
}

// splitIncomplete splits b before a UTF-8 sequence cut off at its end.
func splitIncomplete(b []byte) (complete, rest []byte) {
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
