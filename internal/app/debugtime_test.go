package app

import (
	"bytes"
	"testing"
	"time"
)

func TestTimedLines(t *testing.T) {
	at := time.Date(2026, 12, 2, 16, 5, 4, 321e6, time.FixedZone("X", 3600))
	tests := []struct {
		name   string
		writes []string
		want   string
	}{
		{"one line", []string{"--> GET /api/health\n"}, "2026-12-02T15:05:04.321Z --> GET /api/health\n"},
		{"block", []string{"a\nb\n"}, "2026-12-02T15:05:04.321Z a\n2026-12-02T15:05:04.321Z b\n"},
		{"line across writes", []string{"a", "b\nc\n"}, "2026-12-02T15:05:04.321Z ab\n2026-12-02T15:05:04.321Z c\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			w := &timedLines{w: &buf, now: func() time.Time { return at }}
			for _, s := range tt.writes {
				if n, err := w.Write([]byte(s)); err != nil || n != len(s) {
					t.Fatalf("Write(%q) = %d, %v", s, n, err)
				}
			}
			if buf.String() != tt.want {
				t.Fatalf("got %q, want %q", buf.String(), tt.want)
			}
		})
	}
}

func TestCheckServer(t *testing.T) {
	tests := map[string]bool{
		"https://copilot.example.com":         true,
		"https://example.com/copilot":         true,
		"http://h/ extra":                     false,
		"https://copilot.example.com\t":       false,
		"https://copilot.example.com/\x1b[2J": false,
	}
	for server, ok := range tests {
		if err := checkServer(server); (err == nil) != ok {
			t.Errorf("checkServer(%q) = %v", server, err)
		}
	}
}
