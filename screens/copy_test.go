package screens

import (
	"strings"
	"testing"

	"github.com/twofa/twofa/ui/clipboard"
	"github.com/twofa/twofa/ui/words"
)

// TestCopyAllHeaderAndTmux: what Copy all sends starts with a header line
// (whose codes, which server, when); a copy through tmux warns that tmux's
// paste buffer is shared with everyone attached.
func TestCopyAllHeaderAndTmux(t *testing.T) {
	clock := newFakeClock()
	c := testCommon(clock.Now)
	c.SetSize(78, 22)
	env := offlineEnv(t)
	v := newBackupCodesView(c, env, "alice", "intro", []string{"ABCDE12345", "FGHJK67890"}, true)
	want := "# twofa backup codes for alice at " + env.Server() + ", 2030-01-02 10:00 UTC\nABCDE-12345\nFGHJK-67890\n"
	if got := v.clipboardText(); got != want {
		t.Errorf("Copy all sends %q, want %q", got, want)
	}
	for _, tc := range []struct {
		msg  clipboard.CopiedMsg
		warn bool
	}{
		{clipboard.CopiedMsg{Method: "OSC 52 (tmux)", Tmux: true}, true},
		{clipboard.CopiedMsg{Method: "OSC 52"}, false},
		// tmux with set-clipboard off drops the copy: nothing is shared.
		{clipboard.CopiedMsg{Method: "OSC 52 (tmux)", Tmux: true, Hint: clipboard.TmuxHint}, false},
	} {
		v, _ := v.update(tc.msg)
		if got := strings.Contains(strings.Join(strings.Fields(v.view()), " "), "anyone attached to this tmux server"); got != tc.warn {
			t.Errorf("%s: tmux warning shown %v, want %v:\n%s", tc.msg.Method, got, tc.warn, v.view())
		}
	}
	if !strings.Contains(words.TmuxSharedBuffer, "tmux delete-buffer") {
		t.Error("the warning does not say how to clear the buffer")
	}
}
