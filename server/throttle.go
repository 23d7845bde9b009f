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
// kept in the database, both charged before the password is checked (so
// concurrent guesses, on any number of server processes, cannot outrun
// them) and refunded when it is right:
//
//   - per client address (an IPv4 address, or an IPv6 /64): every failure
//     from it, whatever the username. After AddressFree failures each
//     further attempt waits after the last failure 1 s, 2 s, 4 s … up to
//     AddressMaxWait. This is what stops a flood from one address.
//   - per account: its consecutive failures, cleared by a right password.
//     After AccountFree failures each further attempt waits 1 s, 2 s, 4 s …
//     up to AccountMaxWait — but only attempts from an address with a
//     failure on record. An address with none, or one the account signed
//     in from within KnownFor, is not held by the account's wait, so
//     another address's flood cannot keep the real user out.
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
}

// ThrottledError is a password check refused without being evaluated;
// the next attempt may be made at Until.
type ThrottledError struct {
	Until time.Time
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

// hold is when an attempt may be evaluated, and which record says so.
type hold struct {
	until     time.Time
	byAddress bool
}

// holdOf decides, for records as they stand (forgotten ones already
// cleared), until when an attempt from an address that is known (or not)
// to the account is held.
func (p ThrottlePolicy) holdOf(account, address store.ThrottleRow, known bool) hold {
	var byAddr, byAcct time.Time
	if address.Failures > 0 {
		byAddr = address.LastFailure.Add(backoff(address.Failures, p.AddressFree, p.AddressMaxWait))
	}
	switch {
	case known:
	case account.Failures >= p.AccountCeiling:
		byAcct = account.LastFailure.Add(p.CeilingWait)
	case address.Failures > 0:
		byAcct = account.LastFailure.Add(backoff(account.Failures, p.AccountFree, p.AccountMaxWait))
	}
	if byAddr.After(byAcct) {
		return hold{until: byAddr, byAddress: true}
	}
	return hold{until: byAcct}
}

// forget clears a record no failure has touched for the policy's Forget.
func (p ThrottlePolicy) forget(r store.ThrottleRow, now time.Time) store.ThrottleRow {
	if !r.LastFailure.IsZero() && now.Sub(r.LastFailure) >= p.Forget {
		r.Failures, r.LastFailure, r.Refused, r.Reported = 0, time.Time{}, 0, 0
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
