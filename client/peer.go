package client

import (
	"context"
	"net/http"
)

// ForPeer returns a copy of c for the requests of one person at a front end
// that serves many at once (an SSH connection): it shares c's connections
// and what c learnt about the server's extensions, keeps its own view of the
// server's clock (learnt from its own requests only), and names the
// person's address, addr, in X-Forwarded-For, which a server believes only
// from a proxy it trusts. An empty addr sends no such header.
func (c *Client) ForPeer(addr string) *Client {
	peer := *c
	peer.clock = &clockState{now: c.clock.now}
	peer.forwardedFor = addr
	return &peer
}

// clockKey carries, in a request's context, the clock state of the Client
// copy that sent it, so the one transport all copies share records each
// response's Date where its sender reads it.
type clockKey struct{}

func withClock(ctx context.Context, s *clockState) context.Context {
	return context.WithValue(ctx, clockKey{}, s)
}

// clockOf is the clock state of req's sender, else fallback.
func clockOf(req *http.Request, fallback *clockState) *clockState {
	if s, ok := req.Context().Value(clockKey{}).(*clockState); ok {
		return s
	}
	return fallback
}
