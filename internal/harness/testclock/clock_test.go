package testclock

import (
	"sync"
	"testing"
	"time"
)

// TestClockMovesOnlyWhenTold: Now stays at the start until Advance, and
// concurrent advances all count.
func TestClockMovesOnlyWhenTold(t *testing.T) {
	start := time.Date(2030, 1, 2, 10, 0, 5, 0, time.UTC)
	c := New(start)
	time.Sleep(time.Millisecond)
	if got := c.Now(); !got.Equal(start) {
		t.Fatalf("Now = %v before any Advance, want %v", got, start)
	}
	var wg sync.WaitGroup
	for i := 0; i < 100; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c.Advance(time.Second)
			_ = c.Now()
		}()
	}
	wg.Wait()
	c.Advance(-30 * time.Second)
	if got, want := c.Now(), start.Add(70*time.Second); !got.Equal(want) {
		t.Fatalf("Now = %v after 100 × 1 s and −30 s, want %v", got, want)
	}
}
