package sshui

import (
	"net"
	"net/netip"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// addressKey is what the per-address limit counts by: an IPv4 address, or
// an IPv6 /64 (one site's hosts, as the reference server's throttle counts).
func addressKey(a netip.Addr) string {
	a = a.Unmap()
	if a.Is6() {
		p, _ := a.Prefix(64)
		return p.String()
	}
	return a.String()
}

// peerAddr is the client address of a connection, "" when it has none (a
// pipe in tests).
func peerAddr(addr net.Addr) netip.Addr {
	if tcp, ok := addr.(*net.TCPAddr); ok {
		if a, ok := netip.AddrFromSlice(tcp.IP); ok {
			return a.Unmap()
		}
	}
	if ap, err := netip.ParseAddrPort(addr.String()); err == nil {
		return ap.Addr().Unmap()
	}
	return netip.Addr{}
}

// rateLimit lets each address open perMinute connections a minute, in
// bursts of as many; a refused one learns how long to wait.
type rateLimit struct {
	every time.Duration // one connection's worth of tokens
	burst int

	mu        sync.Mutex
	addrs     map[string]*rate.Limiter
	lastPrune time.Time
}

func newRateLimit(perMinute int) *rateLimit {
	return &rateLimit{every: time.Minute / time.Duration(perMinute), burst: perMinute, addrs: map[string]*rate.Limiter{}}
}

// allow takes one connection from key's allowance at now; when none is
// left it returns false and the wait until one is.
func (r *rateLimit) allow(key string, now time.Time) (bool, time.Duration) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.prune(now)
	lim, ok := r.addrs[key]
	if !ok {
		lim = rate.NewLimiter(rate.Every(r.every), r.burst)
		r.addrs[key] = lim
	}
	if lim.AllowN(now, 1) {
		return true, 0
	}
	res := lim.ReserveN(now, 1)
	wait := res.DelayFrom(now)
	res.CancelAt(now)
	return false, wait
}

// prune forgets, once a minute, addresses whose allowance is full again:
// they are where a new address starts, so the map holds only recent ones.
func (r *rateLimit) prune(now time.Time) {
	if now.Sub(r.lastPrune) < time.Minute {
		return
	}
	r.lastPrune = now
	for k, lim := range r.addrs {
		if lim.TokensAt(now) >= float64(r.burst) {
			delete(r.addrs, k)
		}
	}
}

// counter counts what is open against a maximum.
type counter struct {
	mu  sync.Mutex
	n   int
	max int
}

// take counts one more when below the maximum.
func (c *counter) take() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.n >= c.max {
		return false
	}
	c.n++
	return true
}

// give counts one less.
func (c *counter) give() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.n--
}

// count is how many are open.
func (c *counter) count() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.n
}
