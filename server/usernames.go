package server

import (
	"errors"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// MaxUsernameBytes bounds a username's UTF-8 encoding.
const MaxUsernameBytes = 64

// ValidateUsername accepts 1 to 64 bytes of UTF-8 letters, marks, numbers,
// punctuation, symbols and spaces, without spaces at either end. Everything
// else is refused: C0 and C1 controls (U+009B is a terminal's CSI), format
// characters such as U+200B ZERO WIDTH SPACE and the bidirectional
// overrides and isolates (U+202A–U+202E, U+2066–U+2069) that make a name
// print as another, line and paragraph separators, private-use and
// unassigned code points. A name is shown to people (admin list-users, the
// audit log, the TUI), so it must look like what it is.
func ValidateUsername(name string) error {
	if name == "" || len(name) > MaxUsernameBytes {
		return fmt.Errorf("username must be 1 to %d bytes", MaxUsernameBytes)
	}
	if !utf8.ValidString(name) {
		return errors.New("username must be valid UTF-8")
	}
	if strings.TrimSpace(name) != name {
		return errors.New("username must not start or end with a space")
	}
	for _, r := range name {
		if !nameRune(r) {
			return fmt.Errorf("username must not contain %U: only letters, digits, punctuation, symbols and spaces are allowed (no control, format or bidirectional characters)", r)
		}
	}
	return nil
}

// nameRune reports whether r may appear in a username.
func nameRune(r rune) bool {
	return unicode.In(r, unicode.L, unicode.M, unicode.N, unicode.P, unicode.S, unicode.Zs)
}
