package vtterm

import (
	"bytes"
	"testing"
)

func TestRuneWriterPassesOnlyWholeSequences(t *testing.T) {
	tests := []struct {
		name   string
		chunks []string
		want   []string // what the underlying writer sees after each chunk
	}{
		{"ascii", []string{"ab", "c"}, []string{"ab", "abc"}},
		{"half block split after first byte", []string{"x\xe2", "\x96\x80y"}, []string{"x", "x▀y"}},
		{"split after second byte", []string{"\xe2\x96", "\x84"}, []string{"", "▄"}},
		{"four-byte rune in three writes", []string{"\xf0\x9f", "\x94", "\x91!"}, []string{"", "", "🔑!"}},
		{"invalid byte is passed on", []string{"a\xffb"}, []string{"a\xffb"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out bytes.Buffer
			w := newRuneWriter(&out)
			for i, c := range tt.chunks {
				n, err := w.Write([]byte(c))
				if err != nil || n != len(c) {
					t.Fatalf("Write(%q) = %d, %v", c, n, err)
				}
				if got := out.String(); got != tt.want[i] {
					t.Fatalf("after chunk %d: underlying writer has %q, want %q", i, got, tt.want[i])
				}
			}
		})
	}
}

func TestSplitIncomplete(t *testing.T) {
	full := []byte("ab▀") // ▀ is 3 bytes
	tests := []struct {
		name       string
		in         []byte
		wantOK     string
		wantRestLn int
	}{
		{"ascii", []byte("abc"), "abc", 0},
		{"whole rune", full, "ab▀", 0},
		{"one byte of three", full[:3], "ab", 1},
		{"two bytes of three", full[:4], "ab", 2},
		{"empty", nil, "", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ok, rest := splitIncomplete(tt.in)
			if string(ok) != tt.wantOK || len(rest) != tt.wantRestLn {
				t.Fatalf("splitIncomplete(%q) = %q, %q; want %q and %d bytes", tt.in, ok, rest, tt.wantOK, tt.wantRestLn)
			}
		})
	}
}
