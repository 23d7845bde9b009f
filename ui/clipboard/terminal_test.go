package clipboard

import (
	"bytes"
	"os"
	"testing"
)

// TestRemoteCopy: a remote terminal gets OSC 52 on its own output, in the
// form its TERM calls for, and nothing of this machine is used: no tool,
// although this process has a display and xclip on its PATH.
func TestRemoteCopy(t *testing.T) {
	tests := []struct {
		term       string
		mux        Mux
		wantMethod string
		wantHint   string
	}{
		{"xterm-256color", Plain, "OSC 52", ""},
		{"tmux-256color", Tmux, "OSC 52 (tmux)", TmuxHint},
		{"screen-256color", TmuxOrScreen, "OSC 52 (tmux or screen)", TmuxHint},
	}
	for _, tt := range tests {
		t.Run(tt.term, func(t *testing.T) {
			argsFile, _ := fakeTool(t, "xclip", 0)
			t.Setenv("DISPLAY", ":0")
			var out bytes.Buffer
			term := Remote(&out, tt.term)
			if !term.IsRemote() || (Terminal{}).IsRemote() {
				t.Fatal("IsRemote is wrong")
			}
			msg, ok := term.Copy("ABCDE-FGHJK\n")().(CopiedMsg)
			if !ok || msg.Err != nil || msg.Tool != "" || msg.Method != tt.wantMethod || msg.Hint != tt.wantHint {
				t.Fatalf("copy = %+v, want method %q hint %q", msg, tt.wantMethod, tt.wantHint)
			}
			if want := Sequence("ABCDE-FGHJK\n", tt.mux); !bytes.Equal(out.Bytes(), want) {
				t.Fatalf("wrote %q, want %q", out.Bytes(), want)
			}
			if _, err := os.Stat(argsFile); err == nil {
				t.Fatal("a clipboard tool of this machine ran for a remote terminal")
			}
		})
	}
}

// failingWriter is an output that has gone away.
type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, os.ErrClosed }

// TestRemoteCopyClosed: a connection that has gone away is an error, said.
func TestRemoteCopyClosed(t *testing.T) {
	msg := Remote(failingWriter{}, "xterm").Copy("x")().(CopiedMsg)
	if msg.Err == nil || msg.Method != "" {
		t.Fatalf("copy = %+v, want an error", msg)
	}
}
