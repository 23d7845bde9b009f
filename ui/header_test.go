package ui

import (
	"strings"
	"testing"

	"github.com/charmbracelet/lipgloss"
)

// TestHeader: the header is exactly the terminal's width; a name too long
// for it is cut with an ellipsis (the server first, the user down to minUser cells, then both), and the title stays
// whole with at least two cells before it.
func TestHeader(t *testing.T) {
	c := NewCommon(nil, true, nil)
	cases := []struct {
		name                string
		width               int
		server, user, title string
		want                string
	}{
		{"fits", 80, "http://127.0.0.1:37791", "alice", "Security",
			" twofa  http://127.0.0.1:37791 · alice" + strings.Repeat(" ", 33) + "Security "},
		{"long name at 60", 60, "https://copilot.example.com", "firstname.lastname@example.com", "Enable 2FA · Step 2 of 5",
			" twofa  https://c… · firstname.l…  Enable 2FA · Step 2 of 5 "},
		{"server cut at 80", 80, "https://copilot.example.com/some/prefix", "firstname.lastname@example.com", "Security",
			" twofa  https://copilot.example.com… · firstname.lastname@example.com  Security "},
		{"never part of the port", 60, "http://127.0.0.1:37791", "alice", "Regenerate backup codes",
			" twofa  http://127.0.0.1:… · alice  Regenerate backup codes "},
		{"whole port when it fits", 64, "http://127.0.0.1:37791", "alice", "Regenerate backup codes",
			" twofa  http://127.0.0.1:37791 · alice  Regenerate backup codes "},
		{"no user at 60", 60, "https://copilot.example.com/a/very/long/prefix/path", "", "Sign in",
			" twofa  https://copilot.example.com/a/very/long/p…  Sign in "},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := c.Header(tc.width, tc.server, tc.user, tc.title)
			if got != tc.want {
				t.Errorf("header:\n got %q\nwant %q", got, tc.want)
			}
			if w := lipgloss.Width(got); w != tc.width {
				t.Errorf("header is %d wide, want %d", w, tc.width)
			}
			if !strings.HasSuffix(got, "  "+tc.title+" ") {
				t.Errorf("the title is not whole after a gap: %q", got)
			}
		})
	}
}

// TestTrimLines: plain spaces at the ends of lines go; spaces inside a
// style (before its reset) and between words stay.
func TestTrimLines(t *testing.T) {
	in := "a b   \n\x1b[48;5;236m bar  \x1b[0m   \n   \nlast"
	want := "a b\n\x1b[48;5;236m bar  \x1b[0m\n\nlast"
	if got := TrimLines(in); got != want {
		t.Errorf("TrimLines(%q) = %q, want %q", in, got, want)
	}
}
