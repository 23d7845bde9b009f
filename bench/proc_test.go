package main

import (
	"os"
	"testing"
)

func TestProcReadersOnSelf(t *testing.T) {
	pid := os.Getpid()
	// Current first: the peak read afterwards can only be higher.
	cur, err := rssMB(pid)
	if err != nil {
		t.Fatal(err)
	}
	peak, err := peakRSSMB(pid)
	if err != nil {
		t.Fatal(err)
	}
	if peak <= 0 || cur <= 0 || cur > peak+0.01 {
		t.Fatalf("peak %.2f MiB, current %.2f MiB: want 0 < current <= peak", peak, cur)
	}
	if _, err := cpuTime(pid); err != nil {
		t.Fatal(err)
	}
}
