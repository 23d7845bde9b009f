package main

import (
	"math"
	"os/exec"
	"path/filepath"
	"testing"
	"time"
)

// TestFirstFrameBaseline runs the real baseline program in a pty: it checks
// the runner answers the background-colour query Bubble Tea makes at start
// (unanswered, termenv waits 5 s) and reads the drawn line; then it reads
// the program's package inits.
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
	// Without a terminal the baseline stops at once, after its inits.
	if end, err := initDone(bin, nil, 1); err != nil || end <= 0 {
		t.Fatalf("initDone(baseline) = %v, %v; want a positive time", end, err)
	}
}

func TestLastInitEnd(t *testing.T) {
	tests := []struct {
		name    string
		trace   string
		want    float64
		wantErr bool
	}{
		{"last line ends last", "init runtime @0.01 ms, 0.02 ms clock, 0 bytes, 0 allocs\ninit main @3.5 ms, 0.25 ms clock, 10 bytes, 1 allocs\n", 3.75, false},
		{"a long init earlier", "init a @1.0 ms, 4.0 ms clock, 0 bytes, 0 allocs\ninit b @2.0 ms, 0.5 ms clock, 0 bytes, 0 allocs\n", 5.0, false},
		{"other output around", "baseline: could not open a new TTY\ninit x @0.5 ms, 0 ms clock, 0 bytes, 0 allocs\n", 0.5, false},
		{"no init lines", "twofa dev (go1.26)\n", 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := lastInitEnd(tt.trace)
			if (err != nil) != tt.wantErr {
				t.Fatalf("lastInitEnd() error = %v, wantErr %v", err, tt.wantErr)
			}
			if math.Abs(got-tt.want) > 1e-9 {
				t.Errorf("lastInitEnd() = %v, want %v", got, tt.want)
			}
		})
	}
}
