package main

import (
	"os/exec"
	"path/filepath"
	"testing"
	"time"
)

// TestFirstFrameBaseline runs the real baseline program in a pty: it checks
// the runner answers the background-colour query Bubble Tea makes at start
// (unanswered, termenv waits 5 s) and reads the drawn line.
func TestFirstFrameBaseline(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs a program in a pty")
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "baseline")
	if out, err := exec.Command("go", "build", "-o", bin, "./baseline").CombinedOutput(); err != nil {
		t.Fatalf("build baseline: %v\n%s", err, out)
	}
	env, err := tuiEnv(dir, "")
	if err != nil {
		t.Fatal(err)
	}
	term, err := StartTerm(bin, nil, env)
	if err != nil {
		t.Fatal(err)
	}
	defer term.Close()
	d, err := term.WaitDrawn([]string{"baseline ready"}, drawnQuiet, 15*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	if d <= 0 {
		t.Fatalf("first frame at %s: want a positive time", d)
	}
	if term.Answered() == 0 {
		t.Fatal("the program asked no colour query: the runner's answers are untested")
	}
}
