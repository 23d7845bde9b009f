package codelist

import (
	"strings"
	"testing"

	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"
	"github.com/twofa/twofa/ui"
)

func TestRender(t *testing.T) {
	lipgloss.SetColorProfile(termenv.Ascii)
	s := ui.DefaultStyles(true)
	ten := []string{"AAAAA11111", "BBBBB22222", "CCCCC33333", "DDDDD44444", "EEEEE55555", "FFFFF66666", "GGGGG77777", "HHHHH88888", "JJJJJ99999", "KKKKK00000"}
	tests := []struct {
		name      string
		list      []string
		width     int
		wantLines int
		firstLine string
	}{
		{"two columns at 78", ten, 78, 5, " 1. AAAAA-11111       6. FFFFF-66666"},
		{"one column when narrow", ten, 30, 10, " 1. AAAAA-11111"},
		{"one column for few codes", ten[:3], 78, 3, " 1. AAAAA-11111"},
		{"CoPilot codes shown as they are", []string{"UCAQU5CUV9X"}, 78, 1, " 1. UCAQU5CUV9X"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out := Render(s, tc.list, tc.width)
			lines := strings.Split(out, "\n")
			if len(lines) != tc.wantLines {
				t.Fatalf("%d lines, want %d:\n%s", len(lines), tc.wantLines, out)
			}
			if got := strings.TrimRight(lines[0], " "); got != tc.firstLine {
				t.Errorf("first line %q, want %q", got, tc.firstLine)
			}
			for _, c := range tc.list {
				if len(c) == 10 && !strings.Contains(out, c[:5]+"-"+c[5:]) {
					t.Errorf("code %s missing", c)
				}
			}
		})
	}
}
