// Package clipboard copies text to the user's clipboard from a terminal
// program: with OSC 52 (which reaches the clipboard of the terminal the user
// sits at, even over SSH, if the terminal allows it), wrapped for tmux or GNU
// screen when inside them, and with a local clipboard tool when there is a
// display to copy to.
package clipboard

import (
	"bytes"
	"encoding/base64"
	"strings"
)

// Mux is the terminal multiplexer the program runs inside, if any.
type Mux int

// The multiplexers that need OSC 52 in a form of their own.
const (
	Plain  Mux = iota // no multiplexer: the sequence goes straight to the terminal
	Tmux              // inside tmux ($TMUX set)
	Screen            // inside GNU screen ($STY set, or $TERM screen* outside tmux)
	// TmuxOrScreen: one of the two, but which is not known — a terminal on
	// another machine (an SSH connection) whose TERM is screen*, which both set.
	TmuxOrScreen
)

// String names the multiplexer.
func (m Mux) String() string {
	switch m {
	case Tmux:
		return "tmux"
	case Screen:
		return "screen"
	case TmuxOrScreen:
		return "tmux or screen"
	default:
		return "plain"
	}
}

// DetectMux tells from the environment which multiplexer, if any, the
// program runs inside. tmux is checked first: it sets TERM to screen* too.
func DetectMux(getenv func(string) string) Mux {
	switch {
	case getenv("TMUX") != "":
		return Tmux
	case getenv("STY") != "", strings.HasPrefix(getenv("TERM"), "screen"):
		return Screen
	default:
		return Plain
	}
}

const (
	esc = "\x1b"
	bel = "\x07"
	dcs = esc + "P"  // device control string start
	st  = esc + "\\" // string terminator
)

// screenChunk is the most bytes put in one DCS string for GNU screen, whose
// string buffer was as small as 256 bytes in old versions.
const screenChunk = 76

// Sequence returns the bytes that ask the terminal to put text on its
// clipboard, in the form the multiplexer needs:
//
//   - Plain: ESC ] 52 ; c ; <base64> BEL
//   - Tmux: the plain sequence, then the same sequence wrapped for
//     passthrough (ESC P tmux; <sequence with every ESC doubled> ESC \).
//     tmux acts on the plain one itself when "set-clipboard on" (it fills
//     its paste buffer and forwards it to the outer terminal); the wrapped
//     one reaches the outer terminal when "allow-passthrough on". Sending
//     both covers either setting; with both on, the outer terminal is just
//     told the same text twice.
//   - Screen: the plain sequence cut into pieces of at most 76 bytes, each
//     wrapped in ESC P ... ESC \, which screen passes to the outer terminal.
//   - TmuxOrScreen: the plain sequence, then the Screen pieces. tmux takes
//     the plain one (with "set-clipboard on") and drops the pieces, which
//     are not its passthrough form; screen passes the pieces on. (tmux's
//     own passthrough form would print "tmux;" in screen.)
func Sequence(text string, mux Mux) []byte {
	plain := esc + "]52;c;" + base64.StdEncoding.EncodeToString([]byte(text)) + bel
	var b bytes.Buffer
	switch mux {
	case Tmux:
		b.WriteString(plain)
		b.WriteString(dcs + "tmux;")
		b.WriteString(strings.ReplaceAll(plain, esc, esc+esc))
		b.WriteString(st)
	case Screen:
		writeScreenPieces(&b, plain)
	case TmuxOrScreen:
		b.WriteString(plain)
		writeScreenPieces(&b, plain)
	default:
		b.WriteString(plain)
	}
	return b.Bytes()
}

// writeScreenPieces writes seq cut into GNU screen's passthrough strings.
func writeScreenPieces(b *bytes.Buffer, seq string) {
	for i := 0; i < len(seq); i += screenChunk {
		b.WriteString(dcs)
		b.WriteString(seq[i:min(i+screenChunk, len(seq))])
		b.WriteString(st)
	}
}

// RemoteMux tells from a remote terminal's TERM alone (an SSH client sends
// no TMUX or STY) which multiplexer it may be inside: tmux* is tmux, and
// screen* is tmux or screen, for tmux sets TERM to screen* too.
func RemoteMux(term string) Mux {
	switch {
	case strings.HasPrefix(term, "tmux"):
		return Tmux
	case strings.HasPrefix(term, "screen"):
		return TmuxOrScreen
	default:
		return Plain
	}
}
