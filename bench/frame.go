package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
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

// initLine is one package's line of GODEBUG=inittrace=1: its start after the
// runtime started and its own clock time, both in ms.
var initLine = regexp.MustCompile(`^init \S+ @([0-9.]+) ms, ([0-9.]+) ms clock`)

// initDone runs bin with args runs times, without a terminal and with
// GODEBUG=inittrace=1, and returns the median time at which its last package
// init ended, ms after the runtime started. The program's own outcome does
// not matter (the baseline exits for want of a terminal): only its inits do.
func initDone(bin string, args []string, runs int) (float64, error) {
	var ends []float64
	for i := 0; i < runs; i++ {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		cmd := exec.CommandContext(ctx, bin, args...)
		cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + os.TempDir(), "GODEBUG=inittrace=1"}
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		_ = cmd.Run()
		cancel()
		end, err := lastInitEnd(stderr.String())
		if err != nil {
			return 0, fmt.Errorf("%s: %w", filepath.Base(bin), err)
		}
		ends = append(ends, end)
	}
	return median(ends), nil
}

// lastInitEnd reads inittrace output and returns when the last init ended.
func lastInitEnd(trace string) (float64, error) {
	end, n := 0.0, 0
	for _, line := range strings.Split(trace, "\n") {
		m := initLine.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		at, err1 := strconv.ParseFloat(m[1], 64)
		took, err2 := strconv.ParseFloat(m[2], 64)
		if err1 != nil || err2 != nil {
			return 0, fmt.Errorf("unreadable inittrace line %q", line)
		}
		end, n = max(end, at+took), n+1
	}
	if n == 0 {
		return 0, fmt.Errorf("no inittrace lines in its output")
	}
	return end, nil
}
