package words

import (
	"fmt"
	"strings"
	"testing"

	"github.com/twofa/twofa/internal/privatefile"
)

func TestUnsafeSentence(t *testing.T) {
	const cfg = "/home/alice/.config/twofa/config.json"
	tests := []struct {
		err  *privatefile.UnsafeError
		want string
	}{
		{&privatefile.UnsafeError{Path: cfg, Problem: privatefile.OpenToOthers, Mode: 0o666, Forbidden: 0o022},
			"twofa will not use the file " + cfg + ": other users can change it (permissions 0666). Run: chmod 644 " + cfg},
		{&privatefile.UnsafeError{Path: "/home/alice/.config/twofa", Dir: true, Problem: privatefile.OpenToOthers, Mode: 0o777, Forbidden: 0o022},
			"the directory /home/alice/.config/twofa: other users can change it (permissions 0777). Run: chmod 755 /home/alice/.config/twofa"},
		{&privatefile.UnsafeError{Path: "/home/alice/.config/twofa/sessions.json", Problem: privatefile.OpenToOthers, Mode: 0o644, Forbidden: 0o077},
			"other users can read or change it (permissions 0644). Run: chmod 600 /home/alice/.config/twofa/sessions.json"},
		{&privatefile.UnsafeError{Path: cfg, Problem: privatefile.OtherOwner, Owner: 1001, User: "alice"},
			"it belongs to another user (user id 1001), who could change what twofa reads from it. If it should be yours, run: sudo chown alice " + cfg},
		{&privatefile.UnsafeError{Path: cfg, Problem: privatefile.Symlink}, "it is a symbolic link"},
		{&privatefile.UnsafeError{Path: cfg, Problem: privatefile.NotDir}, "it should be a directory"},
	}
	for _, tt := range tests {
		got := cli.Error(fmt.Errorf("open config: %w", tt.err))
		if !strings.Contains(got, tt.want) || !strings.Contains(got, tt.err.Path) {
			t.Errorf("Error(%v) = %q, want it to contain %q", tt.err, got, tt.want)
		}
	}
}
