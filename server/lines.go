package server

import (
	"context"
	"sync"

	"golang.org/x/sync/semaphore"
)

// lines are this process's waiting lines, one per address subject, for
// password attempts the address's allowance turned away as busy: only the
// first in a line asks the database again, the rest wait their turn in
// arrival order. Without them every waiting attempt asked every busyPoll,
// each in a transaction holding the address's row, and which one got in
// was a lottery: under 64 concurrent sign-ins from one address some
// waited past BusyWait and were refused although no attempt had failed.
type lines struct {
	mu sync.Mutex
	of map[string]*line
}

// line is one subject's waiting line and how many attempts hold or wait for it.
type line struct {
	turn  *semaphore.Weighted // of weight 1; FIFO
	users int
}

// wait takes subject's turn, in arrival order, or returns ctx's error;
// leave gives it back.
func (ls *lines) wait(ctx context.Context, subject string) error {
	ls.mu.Lock()
	if ls.of == nil {
		ls.of = map[string]*line{}
	}
	l := ls.of[subject]
	if l == nil {
		l = &line{turn: semaphore.NewWeighted(1)}
		ls.of[subject] = l
	}
	l.users++
	ls.mu.Unlock()
	if err := l.turn.Acquire(ctx, 1); err != nil {
		ls.drop(subject, l)
		return err
	}
	return nil
}

// queued reports whether an attempt holds or waits for subject's line, so
// that a newcomer joins it instead of overtaking the attempts waiting.
func (ls *lines) queued(subject string) bool {
	ls.mu.Lock()
	defer ls.mu.Unlock()
	return ls.of[subject] != nil
}

// leave gives subject's turn to the next attempt in line.
func (ls *lines) leave(subject string) {
	ls.mu.Lock()
	l := ls.of[subject]
	ls.mu.Unlock()
	l.turn.Release(1)
	ls.drop(subject, l)
}

// drop forgets the line once nobody holds or waits for it.
func (ls *lines) drop(subject string, l *line) {
	ls.mu.Lock()
	defer ls.mu.Unlock()
	if l.users--; l.users == 0 {
		delete(ls.of, subject)
	}
}
