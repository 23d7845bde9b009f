package server

import (
	"context"
	"testing"
	"time"
)

// TestLinesTakeTurnsInArrivalOrder: attempts waiting in one subject's line
// get their turn one at a time in the order they came, a wait that times
// out leaves the line, another subject's line is its own, and a line
// nobody holds is forgotten.
func TestLinesTakeTurnsInArrivalOrder(t *testing.T) {
	var ls lines
	ctx := context.Background()
	if err := ls.wait(ctx, "a"); err != nil {
		t.Fatal(err)
	}
	if err := ls.wait(ctx, "b"); err != nil {
		t.Fatalf("another subject's line: %v", err)
	}
	if !ls.queued("a") || ls.queued("c") {
		t.Fatal("queued does not say which lines are held")
	}
	short, cancel := context.WithTimeout(ctx, 20*time.Millisecond)
	defer cancel()
	if err := ls.wait(short, "a"); err == nil {
		t.Fatal("a second turn of a held line was given")
	}
	got := make(chan int, 5)
	for i := range 5 {
		go func() {
			if err := ls.wait(ctx, "a"); err != nil {
				t.Error(err)
			}
			got <- i
			ls.leave("a")
		}()
		time.Sleep(10 * time.Millisecond) // arrive in order
	}
	ls.leave("a")
	for want := range 5 {
		if i := <-got; i != want {
			t.Fatalf("turn %d went to attempt %d", want, i)
		}
	}
	ls.leave("b")
	if ls.queued("a") || ls.queued("b") {
		t.Fatal("a line nobody holds is still queued")
	}
	ls.mu.Lock()
	defer ls.mu.Unlock()
	if len(ls.of) != 0 {
		t.Fatalf("%d lines left, want none", len(ls.of))
	}
}
