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
	s := ui.NewCommon(nil, true, nil).Styles
	ten := []string{"AAAAA-11111", "BBBBB-22222", "CCCCC-33333", "DDDDD-44444", "EEEEE-55555", "FFFFF-66666", "GGGGG-77777", "HHHHH-88888", "JJJJJ-99999", "KKKKK-00000"}
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
		{"CoPilot codes shown as they are", []string{"UCAQU5CUV9", "P9T8RF49T1"}, 78, 2, " 1. UCAQU5CUV9"},
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
				if !strings.Contains(out, " "+c) {
					t.Errorf("code %s not shown as given", c)
				}
			}
		})
	}
}
