package server

import (
	"context"
	"time"
)

// DefaultSweepInterval is how often the background sweep runs.
const DefaultSweepInterval = time.Minute

// sweeper deletes expired tokens and forgotten throttle records in the
// background, off every request's path, until stop.
type sweeper struct {
	stop context.CancelFunc
	done chan struct{}
}

// startSweep starts the background sweep every interval.
func (s *Server) startSweep(interval time.Duration) *sweeper {
	ctx, cancel := context.WithCancel(context.Background())
	w := &sweeper{stop: cancel, done: make(chan struct{})}
	go func() {
		defer close(w.done)
		t := time.NewTicker(interval)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
			}
			if err := s.sweep(ctx); err != nil && ctx.Err() == nil {
				s.log.Warn("sweep of expired tokens failed", "err", err.Error())
			}
		}
	}()
	return w
}

// halt stops the sweep and waits for a sweep under way to end.
func (w *sweeper) halt() {
	if w == nil {
		return
	}
	w.stop()
	<-w.done
}

// sweep deletes the tokens expired at the server's time (through the
// index on expires_at) and the throttle records the policy has forgotten,
// and forgets the expired pending sign-ins of the process's cache.
func (s *Server) sweep(ctx context.Context) error {
	now := s.now()
	s.pending.prune(now)
	if err := s.store.Tokens.Purge(ctx, s.store.DB(), now); err != nil {
		return err
	}
	if err := s.store.Throttle.Purge(ctx, s.store.DB(), now.Add(-s.opts.Throttle.Forget), now.Add(-s.opts.Throttle.KnownFor)); err != nil {
		return err
	}
	s.sweeps.Add(1)
	return nil
}
