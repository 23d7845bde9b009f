package screens

import (
	"fmt"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
	"github.com/twofa/twofa/ui"
)

// TestReplaceDialogFitsWidth: the "A file already exists … Replace it?"
// box keeps its border whole however long the path, at the minimum width
// and at 80 columns.
func TestReplaceDialogFitsWidth(t *testing.T) {
	long := "/srv/backups/" + strings.Repeat("very-long-directory-name/", 4) + "twofa-backup-codes-build-host-alice-2030-01-02.txt"
	tests := []struct {
		name   string
		width  int
		target string
	}{
		{"short path at 80", 78, "/tmp/codes.txt"},
		{"long path at 80", 78, long},
		{"long path, no slashes, at 80", 78, "/" + strings.Repeat("x", 150) + ".txt"},
		{"long path at the minimum", ui.MinWidth - 2, long},
	}
	// Every length around the point where the box starts to wrap.
	for n := 30; n <= 90; n++ {
		p := "/home/alice/" + strings.Repeat("d", n) + ".txt"
		tests = append(tests, struct {
			name   string
			width  int
			target string
		}{fmt.Sprintf("%d-character path", len(p)), 78, p})
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := testCommon(nil)
			c.SetSize(tc.width, 22)
			v := newBackupCodesView(c, offlineEnv(t), "alice", "intro", []string{"ABCDE12345"}, true)
			v.question, v.target = askReplace, tc.target
			view := v.view()
			var box []string
			for _, l := range strings.Split(view, "\n") {
				l = strings.TrimRight(ansi.Strip(l), " ")
				if strings.HasPrefix(l, "╭") || strings.HasPrefix(l, "│") || strings.HasPrefix(l, "╰") {
					box = append(box, l)
				}
			}
			if len(box) < 4 {
				t.Fatalf("no dialog box drawn:\n%s", view)
			}
			inner := ""
			for i, l := range box {
				if w := ansi.StringWidth(l); w > tc.width {
					t.Errorf("box line %d is %d wide, more than %d: %q", i, w, tc.width, l)
				}
				last := []rune(l)[len([]rune(l))-1]
				if want := map[bool]rune{true: '╮', false: '│'}[i == 0]; i < len(box)-1 && last != want {
					t.Errorf("box line %d does not end with its border: %q", i, l)
				}
				if i > 0 && i < len(box)-1 {
					inner += strings.TrimSpace(strings.Trim(l, "│"))
				}
			}
			if !strings.Contains(inner, "Replace it?") {
				t.Errorf("the question is missing:\n%s", strings.Join(box, "\n"))
			}
			// The whole path is there, wrapped: nothing of it is cut.
			if flat := strings.ReplaceAll(inner, " ", ""); !strings.Contains(flat, strings.ReplaceAll(tc.target, " ", "")) {
				t.Errorf("the path %q is not whole in the box:\n%s", tc.target, strings.Join(box, "\n"))
			}
		})
	}
}
