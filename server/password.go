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
// admitted one is charged first and refunded when right. A wrong one is
// audited as event with detail and returns errWrongPassword.
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
	if err != nil {
		return err
	}
	if !ok {
		s.audit(ctx, nil, u, event, addr, detail)
		return errWrongPassword
	}
	return s.refund(ctx, t)
}

// ticket is a password attempt the throttle admitted and charged.
type ticket struct {
	account, address string            // the records' subjects
	before, charged  store.ThrottleRow // the address record before and after the charge
}

// admit charges one attempt on the account against the address's record
// and the account's, in one transaction that holds both rows, or refuses
// it with a *ThrottledError while either record holds it.
func (s *Server) admit(ctx context.Context, u store.User, account, addr string) (ticket, error) {
	p := s.opts.Throttle
	t := ticket{account: account, address: addressSubject(addr)}
	var refused *ThrottledError
	err := s.store.Tx(ctx, func(h store.Handle) error {
		ad, err := s.store.Throttle.Lock(ctx, h, store.ScopeAddress, t.address)
		if err != nil {
			return err
		}
		// The time is read once the row is held: a request that waited
		// for it must not judge a failure charged meanwhile from before it.
		now := s.now()
		ad = p.forget(ad, now)
		// Held by its address alone: the account's record is not touched
		// (nor created, for a made-up name).
		if hd := p.holdOf(store.ThrottleRow{}, ad, true); now.Before(hd.until) {
			refused, err = s.refuse(ctx, h, u, ad, hd, addr)
			return err
		}
		ac, err := s.store.Throttle.Lock(ctx, h, store.ScopeAccount, account)
		if err != nil {
			return err
		}
		ac = p.forget(ac, now)
		known, err := s.store.Throttle.Known(ctx, h, account, t.address, now.Add(-p.KnownFor))
		if err != nil {
			return err
		}
		if hd := p.holdOf(ac, ad, known); now.Before(hd.until) {
			holder := ac
			if hd.byAddress {
				holder = ad
			}
			refused, err = s.refuse(ctx, h, u, holder, hd, addr)
			return err
		}
		t.before = ad
		ad.Failures, ad.LastFailure = ad.Failures+1, now
		ac.Failures, ac.LastFailure = ac.Failures+1, now
		t.charged = ad
		if err := s.store.Throttle.Save(ctx, h, ad); err != nil {
			return err
		}
		return s.store.Throttle.Save(ctx, h, ac)
	})
	if err != nil {
		return ticket{}, err
	}
	if refused != nil {
		return ticket{}, refused
	}
	return t, nil
}

// refuse counts a held attempt on the record that holds it and returns
// the *ThrottledError to answer. Only the first refusal after each failure
// is audited (with the count so far), so a flood adds at most one audit
// row per failure the throttle let through, not one per attempt.
func (s *Server) refuse(ctx context.Context, h store.Handle, u store.User, r store.ThrottleRow, hd hold, addr string) (*ThrottledError, error) {
	first := r.Reported != r.Failures
	r.Refused++
	r.Reported = r.Failures
	if err := s.store.Throttle.Save(ctx, h, r); err != nil {
		return nil, err
	}
	if first {
		what := fmt.Sprintf("account held after %d consecutive failed sign-ins", r.Failures)
		if hd.byAddress {
			what = fmt.Sprintf("address %s held after %d failed sign-ins", r.Subject, r.Failures)
		}
		detail := fmt.Sprintf("%s until %s; %s refused so far", what, hd.until.UTC().Format(time.RFC3339), count(int(r.Refused), "attempt"))
		if err := s.auditIn(ctx, h, u, EventSignInThrottled, addr, detail); err != nil {
			return nil, err
		}
	}
	return &ThrottledError{Until: hd.until}, nil
}

// refund undoes the charge of an attempt whose password was right: the
// account's consecutive failures are cleared, the address's charge is
// taken back (its failure time too, unless another attempt charged it
// since), and the address becomes known to the account.
func (s *Server) refund(ctx context.Context, t ticket) error {
	return s.store.Tx(ctx, func(h store.Handle) error {
		ad, err := s.store.Throttle.Lock(ctx, h, store.ScopeAddress, t.address)
		if err != nil {
			return err
		}
		now := s.now()
		if ad.Failures == t.charged.Failures && ad.LastFailure.Equal(t.charged.LastFailure) {
			ad.Failures, ad.LastFailure = t.before.Failures, t.before.LastFailure
		} else if ad.Failures > 0 {
			ad.Failures--
		}
		if err := s.store.Throttle.Save(ctx, h, ad); err != nil {
			return err
		}
		if err := s.store.Throttle.Clear(ctx, h, store.ScopeAccount, t.account); err != nil {
			return err
		}
		return s.store.Throttle.Remember(ctx, h, t.account, t.address, now)
	})
}
