package server

import (
	"fmt"
	"math"
	"net/netip"
	"time"

	"github.com/twofa/twofa/server/store"
)

// ThrottlePolicy says how failed password checks (sign-in, and the
// password asked again at 2FA setup) slow further ones. Two records are
// kept in the database, a client address's and an account's; an attempt
// is admitted, counted as pending on both, and settled once its password
// is checked, all in transactions that hold both rows, so concurrent
// guesses on any number of server processes are decided one at a time.
//
//   - per client address (an IPv4 address, or an IPv6 /64): every failure
//     from it, whatever the username. After AddressFree failures each
//     further attempt waits after the last failure 1 s, 2 s, 4 s … up to
//     AddressMaxWait. This is what stops a flood from one address.
//   - per account: its consecutive failures, cleared by a right password.
//     After AccountFree failures each further attempt waits 1 s, 2 s, 4 s …
//     up to AccountMaxWait — but only attempts from an address with a
//     failure (or an attempt) on record. An address with none, or one the
//     account signed in from within KnownFor, is not held by the account's
//     wait, so another address's flood cannot keep the real user out.
//
// A record admits at most as many attempts at once as it has free
// failures left, and one at a time after that; an attempt beyond that
// waits in the server for a pending one to settle (up to BusyWait), so
// that concurrent guesses cannot outrun the count while concurrent right
// passwords are never charged a failure.
//
// From AccountCeiling consecutive failures on (NIST SP 800-63B 5.2.2 caps
// them at 100) the account's wait is CeilingWait after each further
// failure and holds every address but the known ones, clean or not. The
// account is never locked: its own known addresses keep signing in, and
// any other waits at most CeilingWait. A record no failure has touched
// for Forget is forgotten.
type ThrottlePolicy struct {
	AddressFree    int
	AddressMaxWait time.Duration
	AccountFree    int
	AccountMaxWait time.Duration
	AccountCeiling int
	CeilingWait    time.Duration
	Forget         time.Duration
	KnownFor       time.Duration
	BusyWait       time.Duration // how long an attempt waits for pending ones to settle
	StalePending   time.Duration // after this a pending count is taken as left by a crash
}

// DefaultThrottle is the policy of a server whose Options set none.
var DefaultThrottle = ThrottlePolicy{
	AddressFree:    10,
	AddressMaxWait: 15 * time.Minute,
	AccountFree:    5,
	AccountMaxWait: time.Minute,
	AccountCeiling: 100,
	CeilingWait:    15 * time.Minute,
	Forget:         24 * time.Hour,
	KnownFor:       30 * 24 * time.Hour,
	BusyWait:       10 * time.Second,
	StalePending:   2 * time.Minute,
}

// ThrottledError is a password check refused without being evaluated;
// the next attempt may be made at Until.
type ThrottledError struct {
	Until time.Time
	// Busy is set when no failure holds the attempt but the allowance of
	// attempts checked at once stayed taken for the whole BusyWait.
	Busy bool
}

// Error names the time of the next allowed attempt.
func (e *ThrottledError) Error() string {
	return "too many failed sign-ins: next attempt at " + e.Until.UTC().Format(time.RFC3339)
}

// SecondsLeft is how long until Until at now, in whole seconds rounded
// up, and never less than one.
func (e *ThrottledError) SecondsLeft(now time.Time) int {
	return max(int(math.Ceil(e.Until.Sub(now).Seconds())), 1)
}

// backoff is the wait after the n-th failure: none before free failures,
// then 1 s doubling up to most.
func backoff(n, free int, most time.Duration) time.Duration {
	if n < free {
		return 0
	}
	if n-free >= 40 {
		return most
	}
	return min(time.Second<<(n-free), most)
}

// verdict is the throttle's decision on one attempt: held until a time
// (answered 429), busy (the record's allowance is taken by attempts still
// being checked: ask again shortly), or admitted.
type verdict struct {
	until     time.Time // held while now is before it
	busy      bool
	byAddress bool // the address's record decided, not the account's
}

// judge decides an attempt from an address that is known (or not) to the
// account, with both records as they stand at now (see tidy).
func (p ThrottlePolicy) judge(account, address store.ThrottleRow, known bool, now time.Time) verdict {
	addrUntil := address.LastFailure.Add(backoff(address.Failures, p.AddressFree, p.AddressMaxWait))
	addrBusy := address.Pending >= max(p.AddressFree-address.Failures, 1)
	var acctUntil time.Time
	acctBusy := false
	dirty := address.Failures > 0 || address.Pending > 0
	switch {
	case known:
	case account.Failures >= p.AccountCeiling:
		acctUntil = account.LastFailure.Add(p.CeilingWait)
	case account.Failures+account.Pending >= p.AccountCeiling:
		acctBusy = true
	case dirty:
		acctUntil = account.LastFailure.Add(backoff(account.Failures, p.AccountFree, p.AccountMaxWait))
		acctBusy = account.Pending >= max(p.AccountFree-account.Failures, 1)
	}
	switch {
	case now.Before(addrUntil) && !addrUntil.Before(acctUntil):
		return verdict{until: addrUntil, byAddress: true}
	case now.Before(acctUntil):
		return verdict{until: acctUntil}
	case addrBusy:
		return verdict{busy: true, byAddress: true}
	case acctBusy:
		return verdict{busy: true}
	}
	return verdict{}
}

// admitted reports whether the verdict lets the attempt be checked.
func (v verdict) admitted() bool { return v.until.IsZero() && !v.busy }

// tidy returns a record as the policy reads it at now: forgotten when no
// failure touched it for Forget, its pending count dropped when no
// attempt was admitted for StalePending (a process died mid-check).
func (p ThrottlePolicy) tidy(r store.ThrottleRow, now time.Time) store.ThrottleRow {
	if !r.LastFailure.IsZero() && now.Sub(r.LastFailure) >= p.Forget {
		r.Failures, r.LastFailure, r.Refused, r.Reported = 0, time.Time{}, 0, 0
	}
	if r.Pending > 0 && now.Sub(r.PendingSince) >= p.StalePending {
		r.Pending = 0
	}
	return r
}

// addressSubject is the throttle's name for a client address: IPv6
// addresses by their /64, the network one subscriber usually holds.
func addressSubject(addr string) string {
	ip, err := netip.ParseAddr(addr)
	if err != nil || !ip.Unmap().Is6() {
		return addr
	}
	p, _ := ip.Prefix(64)
	return p.String()
}

// accountSubject is the throttle's name for a username: its account's id,
// or, for a name no account has, a keyed hash (what people type into the
// username field is sometimes a password).
func (s *Server) accountSubject(u store.User, username string) string {
	if u.ID != 0 {
		return userSubject(u.ID)
	}
	return "name:" + s.index.Label("signin-name", username)
}

// userSubject is the throttle's name for the account with this id.
func userSubject(id int64) string { return fmt.Sprintf("user:%d", id) }
