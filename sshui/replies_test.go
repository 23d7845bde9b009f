package sshui

import "testing"

// TestReplyFilter: terminal replies are taken out, whole or cut across
// reads; keys — a lone Esc, Alt+], arrows, text — pass untouched.
func TestReplyFilter(t *testing.T) {
	tests := []struct {
		name  string
		reads []string
		want  string
	}{
		{"text", []string{"alice\r"}, "alice\r"},
		{"background reply", []string{"\x1b]11;rgb:0000/0000/0000\x1b\\bob"}, "bob"},
		{"reply ended by BEL", []string{"a\x1b]11;rgb:ffff/ffff/ffff\ab"}, "ab"},
		{"device attributes", []string{"\x1b[?62;22cx"}, "x"},
		{"both at once", []string{"\x1b]11;rgb:0/0/0\x1b\\\x1b[?1;2c"}, ""},
		{"reply cut across reads", []string{"\x1b]11;rgb:00", "00/0000", "/0000\x1b", "\\ok"}, "ok"},
		{"lone esc", []string{"\x1b"}, "\x1b"},
		{"esc then reply-like text later", []string{"\x1b", "]11;"}, "\x1b]11;"},
		{"alt+]", []string{"\x1b]"}, "\x1b]"},
		{"arrow keys", []string{"\x1b[A\x1b[B"}, "\x1b[A\x1b[B"},
		{"esc then text", []string{"\x1bq"}, "\x1bq"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var f replyFilter
			var got string
			for _, r := range tt.reads {
				got += string(f.filter([]byte(r)))
			}
			if got != tt.want {
				t.Fatalf("filtered %q to %q, want %q", tt.reads, got, tt.want)
			}
		})
	}
}
