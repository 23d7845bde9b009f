package ui

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"
)

// Theme is the palette a person asks for: auto (the terminal's background
// decides), dark or light.
type Theme string

// The themes --theme and TWOFA_THEME accept.
const (
	ThemeAuto  Theme = "auto"
	ThemeDark  Theme = "dark"
	ThemeLight Theme = "light"
)

// ParseTheme reads a --theme or TWOFA_THEME value (any case; empty is auto).
func ParseTheme(s string) (Theme, error) {
	switch t := Theme(strings.ToLower(strings.TrimSpace(s))); t {
	case "":
		return ThemeAuto, nil
	case ThemeAuto, ThemeDark, ThemeLight:
		return t, nil
	}
	return "", fmt.Errorf("unknown theme %q: use auto, dark or light", s)
}

// Forced reports the background a dark or light theme fixes, and false
// for auto.
func (t Theme) Forced() (dark, forced bool) {
	return t == ThemeDark, t == ThemeDark || t == ThemeLight
}

// BackgroundQuery asks a terminal its background colour (OSC 11) and then
// its device attributes (DA1): every terminal and multiplexer answers the
// second, so its answer ends the wait whether the first was answered or not.
const BackgroundQuery = "\x1b]11;?\x1b\\\x1b[c"

// InMultiplexer reports whether the program runs inside tmux or GNU screen
// (TERM screen*/tmux*, or $TMUX or $STY set), where termenv never asks the
// background and twofa asks it itself.
func InMultiplexer(getenv func(string) string) bool {
	term := getenv("TERM")
	return strings.HasPrefix(term, "screen") || strings.HasPrefix(term, "tmux") ||
		getenv("TMUX") != "" || getenv("STY") != ""
}

// AnswerComplete reports whether in holds the DA1 answer that ends the
// replies to BackgroundQuery (ESC [ ? … c).
func AnswerComplete(in []byte) bool {
	i := bytes.Index(in, []byte("\x1b[?"))
	return i >= 0 && bytes.IndexByte(in[i:], 'c') > 0
}

// ParseBackground finds an OSC 11 answer (ESC ] 11 ; rgb:R/G/B, each 1 to 4
// hex digits, ended by BEL or ESC \) in in and says whether that colour is
// dark: HSL lightness below one half, as termenv decides.
func ParseBackground(in []byte) (dark, ok bool) {
	i := bytes.Index(in, []byte("\x1b]11;rgb:"))
	if i < 0 {
		return false, false
	}
	rest := in[i+len("\x1b]11;rgb:"):]
	end := bytes.IndexAny(rest, "\a\x1b")
	if end < 0 {
		return false, false
	}
	parts := strings.Split(string(rest[:end]), "/")
	if len(parts) != 3 {
		return false, false
	}
	var c [3]float64
	for k, p := range parts {
		if len(p) < 1 || len(p) > 4 {
			return false, false
		}
		v, err := strconv.ParseUint(p, 16, 16)
		if err != nil {
			return false, false
		}
		c[k] = float64(v) / float64(uint64(1)<<(4*len(p))-1)
	}
	lightness := (max(c[0], c[1], c[2]) + min(c[0], c[1], c[2])) / 2
	return lightness < 0.5, true
}
