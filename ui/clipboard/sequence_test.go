package clipboard

import (
	"bytes"
	"encoding/base64"
	"strings"
	"testing"
)

func TestSequenceBytes(t *testing.T) {
	aaa := strings.Repeat("a", 60) // base64: "YWFh" x 20, so the plain sequence is 88 bytes
	tests := []struct {
		name string
		text string
		mux  Mux
		want string
	}{
		{"plain", "hello", Plain, "\x1b]52;c;aGVsbG8=\x07"},
		{"tmux", "hello", Tmux, "\x1b]52;c;aGVsbG8=\x07" + "\x1bPtmux;\x1b\x1b]52;c;aGVsbG8=\x07\x1b\\"},
		{"screen short", "hello", Screen, "\x1bP\x1b]52;c;aGVsbG8=\x07\x1b\\"},
		{"screen chunked", aaa, Screen,
			"\x1bP\x1b]52;c;" + strings.Repeat("YWFh", 17) + "Y\x1b\\" + // 7 + 69 = 76 bytes
				"\x1bPWFhYWFhYWFh\x07\x1b\\"},
		{"plain empty", "", Plain, "\x1b]52;c;\x07"},
		{"tmux or screen", "hello", TmuxOrScreen, "\x1b]52;c;aGVsbG8=\x07" + "\x1bP\x1b]52;c;aGVsbG8=\x07\x1b\\"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := string(Sequence(tt.text, tt.mux)); got != tt.want {
				t.Fatalf("Sequence(%q, %v)\n got %q\nwant %q", tt.text, tt.mux, got, tt.want)
			}
		})
	}
}

// TestScreenChunks checks, for long and multi-byte text, that every DCS
// piece holds at most 76 bytes and that screen, passing the pieces on,
// hands the terminal exactly the plain sequence.
func TestScreenChunks(t *testing.T) {
	text := strings.Repeat("ABCDE-FGHJK\n", 10) + "ключ ✓"
	seq := Sequence(text, Screen)
	var joined bytes.Buffer
	for _, piece := range bytes.SplitAfter(seq, []byte("\x1b\\")) {
		if len(piece) == 0 {
			continue
		}
		body, ok := bytes.CutPrefix(piece, []byte("\x1bP"))
		if !ok {
			t.Fatalf("piece %q does not start with ESC P", piece)
		}
		body, ok = bytes.CutSuffix(body, []byte("\x1b\\"))
		if !ok {
			t.Fatalf("piece %q does not end with ESC \\", piece)
		}
		if len(body) > 76 {
			t.Fatalf("piece of %d bytes, limit 76", len(body))
		}
		joined.Write(body)
	}
	plain := Sequence(text, Plain)
	if !bytes.Equal(joined.Bytes(), plain) {
		t.Fatalf("pieces join to %q, want %q", joined.Bytes(), plain)
	}
	b64 := strings.TrimSuffix(strings.TrimPrefix(string(plain), "\x1b]52;c;"), "\x07")
	got, err := base64.StdEncoding.DecodeString(b64)
	if err != nil || string(got) != text {
		t.Fatalf("payload decodes to %q (%v), want %q", got, err, text)
	}
}

func TestRemoteMux(t *testing.T) {
	tests := []struct {
		term string
		want Mux
	}{
		{"xterm-256color", Plain},
		{"", Plain},
		{"tmux-256color", Tmux},
		{"screen", TmuxOrScreen},
		{"screen-256color", TmuxOrScreen},
		{"screen.xterm-256color", TmuxOrScreen},
	}
	for _, tt := range tests {
		if got := RemoteMux(tt.term); got != tt.want {
			t.Errorf("RemoteMux(%q) = %v, want %v", tt.term, got, tt.want)
		}
	}
}

func TestDetectMux(t *testing.T) {
	tests := []struct {
		name string
		env  map[string]string
		want Mux
	}{
		{"nothing", map[string]string{"TERM": "xterm-256color"}, Plain},
		{"tmux", map[string]string{"TMUX": "/tmp/tmux-0/default,1,0", "TERM": "screen-256color"}, Tmux},
		{"tmux with tmux TERM", map[string]string{"TMUX": "/tmp/tmux-0/default,1,0", "TERM": "tmux-256color"}, Tmux},
		{"screen STY", map[string]string{"STY": "1234.pts-0.host", "TERM": "xterm"}, Screen},
		{"screen TERM", map[string]string{"TERM": "screen.xterm-256color"}, Screen},
		{"empty", map[string]string{}, Plain},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			getenv := func(k string) string { return tt.env[k] }
			if got := DetectMux(getenv); got != tt.want {
				t.Fatalf("DetectMux = %v, want %v", got, tt.want)
			}
		})
	}
}
