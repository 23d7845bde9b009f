// Package codes normalizes and formats the one-time codes that both the
// client and the server handle: 6-digit TOTP codes and backup codes.
package codes

import (
	"strings"
)

// TOTPDigits is the length of a TOTP code.
const TOTPDigits = 6

// BackupLen is the length of a reference-server backup code without its dash.
const BackupLen = 10

// BackupAlphabet is Crockford's base32 alphabet: 32 symbols, no I, L, O or U,
// so each character carries 5 bits and a 10-character code carries 50.
const BackupAlphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"

// stripSeparators removes spaces, tabs and dashes that people type or paste
// between groups of a code.
func stripSeparators(s string) string {
	return strings.Map(func(r rune) rune {
		switch r {
		case ' ', '\t', '-', '\u2010', '\u2011', '\u2012', '\u2013', '\u2014', '\u00a0':
			return -1
		}
		return r
	}, s)
}

// NormalizeTOTP strips separators from s and reports whether what is left is
// exactly six ASCII digits.
func NormalizeTOTP(s string) (string, bool) {
	s = stripSeparators(strings.TrimSpace(s))
	if len(s) != TOTPDigits {
		return s, false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return s, false
		}
	}
	return s, true
}

// NormalizeBackup strips separators and upper-cases s, the form both
// CoPilot and the reference server compare against; it reports whether the
// result is a plausible backup code (4 to 64 ASCII letters and digits).
func NormalizeBackup(s string) (string, bool) {
	s = strings.ToUpper(stripSeparators(strings.TrimSpace(s)))
	if len(s) < 4 || len(s) > 64 {
		return s, false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= '0' && c <= '9' || c >= 'A' && c <= 'Z') {
			return s, false
		}
	}
	return s, true
}

// CanonicalBackup is NormalizeBackup for a server whose codes are drawn
// from BackupAlphabet: the letters that alphabet leaves out because they
// look like digits are read as those digits (O as 0, I and L as 1), as
// Crockford's decoding does, so a code typed from paper with O for 0 is the
// code meant. Only such a server may apply it: CoPilot's codes use every
// letter, and there O is not 0.
func CanonicalBackup(s string) (string, bool) {
	s, ok := NormalizeBackup(s)
	if !ok {
		return s, false
	}
	return strings.Map(func(r rune) rune {
		switch r {
		case 'O':
			return '0'
		case 'I', 'L':
			return '1'
		}
		return r
	}, s), true
}

// FormatBackup shows a normalized 10-character code as XXXXX-XXXXX and any
// other code unchanged.
func FormatBackup(s string) string {
	if len(s) != BackupLen {
		return s
	}
	return s[:5] + "-" + s[5:]
}

// Shown is how issued backup codes are shown, copied and saved. When the
// server accepts a code typed in any form (anyForm, an [ext] signal), each
// is normalized and grouped as XXXXX-XXXXX for reading; otherwise each is
// kept exactly as the server issued it, because such a server (CoPilot)
// compares a typed code as issued and refuses one typed with a dash.
func Shown(issued []string, anyForm bool) []string {
	out := make([]string, len(issued))
	for i, c := range issued {
		out[i] = c
		if !anyForm {
			continue
		}
		if n, ok := NormalizeBackup(c); ok {
			out[i] = FormatBackup(n)
		}
	}
	return out
}
