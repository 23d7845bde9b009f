package main

import (
	"testing"
	"time"
)

// TestBusyRunStopsCountingAtFirstIdle: the rate covers only the stretch in
// which every worker had an item; a slow item still running when another
// worker ran out is left out, and every item still runs.
func TestBusyRunStopsCountingAtFirstIdle(t *testing.T) {
	tests := []struct {
		name     string
		workers  int
		total    int
		slow     int // the item that waits for release; -1 for none
		wantN    int
		wantDone int
	}{
		{"no slow item, one worker", 1, 5, -1, 5, 5},
		{"slow item left out", 2, 2, 1, 1, 2},
		{"slow item among many", 3, 10, 0, 9, 10},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			release := make(chan struct{})
			// The slow item ends well after every other one: the order of
			// events is the point, not the time it takes.
			timer := time.AfterFunc(300*time.Millisecond, func() { close(release) })
			defer timer.Stop()
			done := make(chan int, tt.total)
			b := busyRun(tt.workers, tt.total, func(_, i int) {
				if i == tt.slow {
					<-release
				}
				done <- i
			})
			if len(done) != tt.wantDone {
				t.Fatalf("%d items ran, want %d", len(done), tt.wantDone)
			}
			if b.N != tt.wantN || b.D <= 0 {
				t.Fatalf("busy stretch = %d requests in %v, want %d in more than 0", b.N, b.D, tt.wantN)
			}
		})
	}
}
