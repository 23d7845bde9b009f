package main

import (
	"fmt"
	"os"
	"path/filepath"
	"time"
)

// drawnQuiet is how long output must pause before a screen counts as fully
// drawn. It is longer than Bubble Tea's 60 fps frame interval and shorter than
// a text cursor's blink.
const drawnQuiet = 150 * time.Millisecond

// tuiEnv is a clean environment for one TUI run: its own HOME and XDG
// directories (no remembered user, no saved session), an xterm-like TERM,
// no D-Bus, and the server to use.
func tuiEnv(home, serverURL string) ([]string, error) {
	for _, d := range []string{"config", "data", "cache", "state"} {
		if err := os.MkdirAll(filepath.Join(home, d), 0o700); err != nil {
			return nil, fmt.Errorf("prepare TUI home: %w", err)
		}
	}
	env := []string{
		"PATH=" + os.Getenv("PATH"),
		"HOME=" + home,
		"XDG_CONFIG_HOME=" + filepath.Join(home, "config"),
		"XDG_DATA_HOME=" + filepath.Join(home, "data"),
		"XDG_CACHE_HOME=" + filepath.Join(home, "cache"),
		"XDG_STATE_HOME=" + filepath.Join(home, "state"),
		"TERM=xterm-256color",
		"LANG=C.UTF-8",
	}
	if serverURL != "" {
		env = append(env, "TWOFA_SERVER="+serverURL)
	}
	return env, nil
}

// firstFrame starts bin in a pty and returns the time from process start to
// the moment every want string was on screen and output had gone quiet.
func firstFrame(bin string, args, env, want []string) (time.Duration, error) {
	t, err := StartTerm(bin, args, env)
	if err != nil {
		return 0, err
	}
	d, err := t.WaitDrawn(want, drawnQuiet, 15*time.Second)
	_ = t.Close()
	return d, err
}
