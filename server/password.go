package server

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/twofa/twofa/server/auth"
	"github.com/twofa/twofa/server/store"
)

// errWrongPassword is checkPassword's refusal; callers name it for their route.
var errWrongPassword = errors.New("wrong password")

// checkPassword verifies password for the account u (the zero User for a
// name no account has: then it is checked against the dummy hash and is
// always wrong) as typed under username, through the throttle: a held
// attempt is refused with a *ThrottledError before any derivation; an
// admitted one is pending on both records until it is settled here. A
// wrong one is audited as event with detail and returns errWrongPassword.
func (s *Server) checkPassword(ctx context.Context, u store.User, username, password, addr, event, detail string) error {
	t, err := s.admit(ctx, u, s.accountSubject(u, username), addr)
	if err != nil {
		return err
	}
	hash := u.PasswordHash
	if u.ID == 0 {
		hash = s.dummy
	}
	ok, err := auth.VerifyContext(ctx, password, hash)
	// Settled even when the request was cancelled: the count must not
	// keep an attempt that is over.
	settled := s.settle(context.WithoutCancel(ctx), t, outcomeOf(ok, err))
	switch {
	case err != nil:
		return err
	case settled != nil:
		return settled
	case !ok:
		s.audit(ctx, nil, u, event, addr, detail)
		return errWrongPassword
	}
	return nil
}

// outcome is how an admitted attempt ended.
type outcome int

const (
	unchecked outcome = iota // the check did not run to its end
	wrong
	right
)

func outcomeOf(ok bool, err error) outcome {
	switch {
	case err != nil:
		return unchecked
	case ok:
		return right
	}
	return wrong
}

// ticket is a password attempt the throttle admitted, pending on both records.
type ticket struct {
	account, address string // the records' subjects
}

// busyPoll is how often an attempt asks again while the allowance is taken.
const busyPoll = 20 * time.Millisecond

// admit lets one attempt on the account be checked, counting it as pending
// on the address's record and the account's, or refuses it with a
// *ThrottledError while either record holds it. While the allowance is
// taken by attempts still being checked it asks again every busyPoll, for
// up to the policy's BusyWait (or until ctx ends); while it is the
// address's allowance, it waits in the address's line (see lines) and asks
// only once first in it.
func (s *Server) admit(ctx context.Context, u store.User, account, addr string) (ticket, error) {
	t := ticket{account: account, address: addressSubject(addr)}
	deadline := time.Now().Add(s.opts.Throttle.BusyWait)
	inLine := false
	defer func() {
		if inLine {
			s.waiting.leave(t.address)
		}
	}()
	wait := func() error {
		wctx, cancel := context.WithDeadline(ctx, deadline)
		err := s.waiting.wait(wctx, t.address)
		cancel()
		// Past BusyWait in the line, the next try is the last.
		inLine = err == nil
		return ctx.Err()
	}
	if s.waiting.queued(t.address) {
		// Attempts are waiting for this address: take a place behind them.
		if err := wait(); err != nil {
			return ticket{}, err
		}
	}
	for {
		busy, err := s.tryAdmit(ctx, u, t, addr, time.Now().After(deadline))
		if err != nil || busy == notBusy {
			return t, err
		}
		if busy == busyAddress && !inLine && time.Now().Before(deadline) {
			if err := wait(); err != nil {
				return ticket{}, err
			}
			continue
		}
		if busy == busyAccount && inLine {
			// Not the address's turn that is missing: let the line move on.
			s.waiting.leave(t.address)
			inLine = false
		}
		select {
		case <-ctx.Done():
			return ticket{}, ctx.Err()
		case <-time.After(busyPoll):
		}
	}
}

// busyness is whose allowance turned an attempt away, to ask again.
type busyness int

const (
	notBusy busyness = iota
	busyAddress
	busyAccount
)

// tryAdmit is one try of admit, in one transaction that holds both rows
// (the address's first); it reports whose allowance was busy when the
// attempt should ask again, and refuses a busy attempt for a second when
// giveUp is set.
func (s *Server) tryAdmit(ctx context.Context, u store.User, t ticket, addr string, giveUp bool) (busy busyness, err error) {
	p := s.opts.Throttle
	var refused *ThrottledError
	err = s.store.Tx(ctx, func(h store.Handle) error {
		busy, refused = notBusy, nil
		ad, err := s.store.Throttle.Lock(ctx, h, store.ScopeAddress, t.address)
		if err != nil {
			return err
		}
		// The time is read once the row is held: a request that waited
		// for it must not judge a failure charged meanwhile from before it.
		now := s.now()
		ad = p.tidy(ad, now)
		// Held by its address alone: the account's record is not touched
		// (nor created, for a made-up name).
		if v := p.judge(store.ThrottleRow{}, ad, true, now); !v.until.IsZero() {
			refused, err = s.refuse(ctx, h, u, ad, v.until, true, addr)
			return err
		}
		ac, err := s.store.Throttle.Lock(ctx, h, store.ScopeAccount, t.account)
		if err != nil {
			return err
		}
		ac = p.tidy(ac, now)
		known, err := s.store.Throttle.Known(ctx, h, t.account, t.address, now.Add(-p.KnownFor))
		if err != nil {
			return err
		}
		v := p.judge(ac, ad, known, now)
		switch {
		case v.busy && giveUp:
			v.until = now.Add(time.Second)
			fallthrough
		case !v.until.IsZero():
			holder := ac
			if v.byAddress {
				holder = ad
			}
			refused, err = s.refuse(ctx, h, u, holder, v.until, v.byAddress, addr)
			if refused != nil {
				refused.Busy = v.busy
			}
			return err
		case v.busy && v.byAddress:
			busy = busyAddress
			return nil
		case v.busy:
			busy = busyAccount
			return nil
		}
		for _, r := range []*store.ThrottleRow{&ad, &ac} {
			r.Pending, r.PendingSince = r.Pending+1, now
			if err := s.store.Throttle.Save(ctx, h, *r); err != nil {
				return err
			}
		}
		return nil
	})
	if err == nil && refused != nil {
		err = refused
	}
	return busy, err
}

// refuse counts a held attempt on the record r that holds it until until
// and returns the *ThrottledError to answer. Only the first refusal after
// each failure is audited (with the count so far), so a flood adds at most
// one audit row per failure the throttle let through, not one per attempt.
func (s *Server) refuse(ctx context.Context, h store.Handle, u store.User, r store.ThrottleRow, until time.Time, byAddress bool, addr string) (*ThrottledError, error) {
	first := r.Reported != r.Failures
	r.Refused++
	r.Reported = r.Failures
	if err := s.store.Throttle.Save(ctx, h, r); err != nil {
		return nil, err
	}
	if first {
		what := fmt.Sprintf("account held after %d consecutive failed sign-ins", r.Failures)
		if byAddress {
			what = fmt.Sprintf("address %s held after %d failed sign-ins", r.Subject, r.Failures)
		}
		detail := fmt.Sprintf("%s until %s; %s refused so far", what, until.UTC().Format(time.RFC3339), count(int(r.Refused), "attempt"))
		if err := s.auditIn(ctx, h, u, EventSignInThrottled, addr, detail); err != nil {
			return nil, err
		}
	}
	return &ThrottledError{Until: until}, nil
}

// settle ends an admitted attempt: it is no longer pending; a wrong
// password is a failure on both records; a right one clears the account's
// consecutive failures and makes the address known to the account.
func (s *Server) settle(ctx context.Context, t ticket, o outcome) error {
	return s.store.Tx(ctx, func(h store.Handle) error {
		ad, err := s.store.Throttle.Lock(ctx, h, store.ScopeAddress, t.address)
		if err != nil {
			return err
		}
		ac, err := s.store.Throttle.Lock(ctx, h, store.ScopeAccount, t.account)
		if err != nil {
			return err
		}
		now := s.now()
		for _, r := range []*store.ThrottleRow{&ad, &ac} {
			*r = s.opts.Throttle.tidy(*r, now)
			r.Pending = max(r.Pending-1, 0)
			if o == wrong {
				r.Failures, r.LastFailure = r.Failures+1, now
			}
		}
		if o == right {
			ac.Failures, ac.LastFailure, ac.Refused, ac.Reported = 0, time.Time{}, 0, 0
			if err := s.store.Throttle.Remember(ctx, h, t.account, t.address, now); err != nil {
				return err
			}
		}
		if err := s.store.Throttle.Save(ctx, h, ad); err != nil {
			return err
		}
		return s.store.Throttle.Save(ctx, h, ac)
	})
}
