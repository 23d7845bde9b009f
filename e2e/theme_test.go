package e2e

import (
	"bytes"
	"encoding/json"
	"io"
	"strings"
	"testing"

	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"
	"github.com/twofa/twofa/ui"
)

// headerBar is the SGR parameter text tmux's capture-pane -e gives for the
// header bar's background in the palette for a dark (true) or light
// background: 24-bit (COLORTERM=truecolor reaches the pane), else 256.
func headerBar(t *testing.T, dark bool) []string {
	t.Helper()
	styles := ui.DefaultStyles(lipgloss.NewRenderer(io.Discard), dark)
	hex, ok := styles.Header.Bar.GetBackground().(lipgloss.Color)
	if !ok {
		t.Fatalf("the header bar's background is %T, not one colour", styles.Header.Bar.GetBackground())
	}
	return []string{termenv.TrueColor.Color(string(hex)).Sequence(true), termenv.ANSI256.Color(string(hex)).Sequence(true)}
}

// TestEndToEndThemeInTmux: tmux answers OSC 11 from the pane's
// window-style, so twofa, which asks it itself inside tmux, draws the
// light palette in a white pane and the dark one in a black pane; --theme
// and TWOFA_THEME override what the pane says.
func TestEndToEndThemeInTmux(t *testing.T) {
	bin := buildBinary(t)
	srv := startBackend(t, bin, "bob", "pw-"+randomText(t, 12))
	tests := []struct {
		name, paneBG string
		args, env    []string
		wantDark     bool
	}{
		{"white pane", "white", nil, nil, false},
		{"black pane", "black", nil, nil, true},
		{"white pane, --theme dark", "white", []string{"--theme", "dark"}, nil, true},
		{"black pane, TWOFA_THEME=light", "black", nil, []string{"TWOFA_THEME=light"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env, _ := clientEnv(t)
			pane := newTmuxPane(t, append(env, tt.env...), "sleep", "600")
			pane.tmux("set-option", "-g", "window-style", "bg="+tt.paneBG)
			argv := append([]string{bin, "--server", srv.URL}, tt.args...)
			pane.tmux("respawn-pane", "-k", "-t", "twofa", strings.Join(argv, " "))
			pane.waitFor("Sign in", "Username")
			want, other := headerBar(t, tt.wantDark), headerBar(t, !tt.wantDark)
			screen := pane.tmux("capture-pane", "-e", "-p", "-t", "twofa")
			if !containsAny(screen, want) || containsAny(screen, other) {
				t.Fatalf("pane bg=%s: the header bar is not drawn in the %s palette (want %q, not %q):\n%q",
					tt.paneBG, paletteName(tt.wantDark), want, other, screen)
			}
			pane.key("C-c")
		})
	}
}

func containsAny(s string, subs []string) bool {
	for _, sub := range subs {
		if strings.Contains(s, sub+"m") || strings.Contains(s, sub+";") {
			return true
		}
	}
	return false
}

func paletteName(dark bool) string {
	if dark {
		return "dark"
	}
	return "light"
}

// TestEndToEndStatusJSONAsksNothing: `twofa status --json` on a terminal
// writes its JSON and no terminal query (OSC 11, cursor report) before
// it; only the terminal UI asks.
func TestEndToEndStatusJSONAsksNothing(t *testing.T) {
	bin := buildBinary(t)
	srv := startBackend(t, bin, "bob", "pw-"+randomText(t, 12))
	env, _ := clientEnv(t)
	term := startTerminal(t, bin, darkTerminal, []string{"status", "--json", "--server", srv.URL}, env)
	if code := term.WaitExit(wait); code != 3 {
		t.Fatalf("status --json exited %d, want 3 (not signed in):\n%s", code, term.Screen())
	}
	raw := term.vt.Raw()
	if bytes.Contains(raw, []byte("\x1b")) || term.vt.Answered() != 0 {
		t.Fatalf("status --json wrote escape sequences (%d queries answered): %q", term.vt.Answered(), raw)
	}
	var rep struct {
		SignedIn bool `json:"signed_in"`
	}
	if err := json.Unmarshal(bytes.ReplaceAll(raw, []byte("\r\n"), []byte("\n")), &rep); err != nil {
		t.Fatalf("status --json printed no JSON object: %v\n%q", err, raw)
	}
}
