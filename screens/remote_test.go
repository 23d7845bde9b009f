package screens

import (
	"bytes"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/twofa/twofa/ui/clipboard"
)

// TestBackupCodesRemoteTerminal: for a person on another machine (SSH) the
// codes view offers no Download .txt — this machine's disk is not theirs —
// and 'd' writes nothing; Copy all sends OSC 52 down their connection and
// the way out it names is the screen itself.
func TestBackupCodesRemoteTerminal(t *testing.T) {
	clock := newFakeClock()
	c := testCommon(clock.Now)
	c.SetSize(78, 22)
	var out bytes.Buffer
	c.SetTerminal(clipboard.Remote(&out, "xterm-256color"))
	t.Setenv("HOME", t.TempDir())
	list := []string{"ABCDE12345", "FGHJK67890"}
	v := newBackupCodesView(c, offlineEnv(t), "alice", "intro", list, false)
	if view := v.view(); strings.Contains(view, "Download") || !strings.Contains(view, "Copy all") {
		t.Fatalf("view over SSH:\n%s", view)
	}
	for _, b := range v.shortHelp() {
		if b.Enabled() && b.Help().Desc == "download .txt" {
			t.Fatal("help offers download .txt over SSH")
		}
	}
	v, cmd := v.update(keyRune('d'))
	if cmd != nil || v.question != askNothing {
		t.Fatalf("'d' over SSH: question %v, cmd %v", v.question, cmd != nil)
	}
	v, _ = v.update(tea.KeyMsg{Type: tea.KeyEnter})
	if view := v.view(); !strings.Contains(view, "You have not copied these codes.") {
		t.Fatalf("unsaved question over SSH:\n%s", view)
	}
	v, _ = v.update(keyRune('n'))
	v, cmd = v.update(keyRune('c'))
	v, _ = v.update(runCmd(cmd))
	if want := clipboard.Sequence(v.clipboardText(), clipboard.Plain); !bytes.Equal(out.Bytes(), want) {
		t.Fatalf("sent %q down the connection, want %q", out.Bytes(), want)
	}
	if view := v.view(); !strings.Contains(view, "or write them down.") || strings.Contains(view, "Download") {
		t.Fatalf("copy note over SSH:\n%s", view)
	}
}
