package main

import (
	"testing"
	"time"
)

// TestBusyRunStopsCountingAtFirstIdle: the rate covers only the stretch in
// which every worker had an item; a slow item still running when another
// worker ran out is left out, and every item still runs. When the first
// worker runs out, each other worker may still be on an item, so the count
// lies between total-(workers-1) and total-1 with a slow item.
func TestBusyRunStopsCountingAtFirstIdle(t *testing.T) {
	tests := []struct {
		name    string
		workers int
		total   int
		slow    int // the item that waits for release; -1 for none
		minN    int
		maxN    int
	}{
		{"no slow item, one worker", 1, 5, -1, 5, 5},
		{"slow item left out", 2, 2, 1, 1, 1},
		{"slow item among many", 3, 10, 0, 8, 9},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			release := make(chan struct{})
			// The slow item ends well after every other one: the order of
			// events is the point, not the time it takes.
			timer := time.AfterFunc(time.Second, func() { close(release) })
			defer timer.Stop()
			done := make(chan int, tt.total)
			b, _ := busyRun(tt.workers, tt.total, func(_, i int) {
				if i == tt.slow {
					<-release
				}
				done <- i
			})
			if len(done) != tt.total {
				t.Fatalf("%d items ran, want %d", len(done), tt.total)
			}
			if b.N < tt.minN || b.N > tt.maxN || b.D <= 0 {
				t.Fatalf("busy stretch = %d requests in %v, want %d to %d in more than 0", b.N, b.D, tt.minN, tt.maxN)
			}
		})
	}
}
