package client

import (
	"context"
	"net/http"
	"sync"
)

// Extension is a route of the reference server that a stock CoPilot lacks
// [ext]. The client remembers which ones the server answered, so a front
// end never tracks that itself and asks a missing route once at most.
type Extension int

// The extensions the client knows; extNone marks a route every server has.
const (
	extNone Extension = iota
	// ExtMe is GET /api/auth/me, the account's details.
	ExtMe
	// ExtLogout is POST /api/auth/logout, revoking a session.
	ExtLogout
	// ExtHealth is GET /api/health.
	ExtHealth
	// ExtCustomerPortal is CoPilot's POST /api/auth/token/customer-portal,
	// absent from the reference server.
	ExtCustomerPortal
	// ExtUnlock is POST /api/auth/security/users/{id}/unlock, ending an account's lock.
	ExtUnlock
	// ExtEvents is GET /api/auth/security/users/{id}/events, an account's security events.
	ExtEvents
	// ExtTempPassword is CoPilot's POST /api/auth/security/users/{id}/send-temp-password,
	// absent from the reference server.
	ExtTempPassword
	extCount
)

// offers is what the client has learnt about the server's extensions; every
// copy of a Client (WithToken) shares it.
type offers struct {
	mu      sync.Mutex
	known   [extCount]bool
	offered [extCount]bool
}

func (o *offers) get(ext Extension) (offered, known bool) {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.offered[ext], o.known[ext]
}

func (o *offers) set(ext Extension, offered bool) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.known[ext], o.offered[ext] = true, offered
}

// Offers reports whether the server offers ext and whether that is known
// yet: it is once a request to the route has been answered (404 or 405:
// absent; any other answer: there).
func (c *Client) Offers(ext Extension) (offered, known bool) { return c.offers.get(ext) }

// SetupTakesPassword reports whether Setup should be given the account
// password first: true unless the server is known to be a stock CoPilot (it
// has no /me), which asks for none.
func (c *Client) SetupTakesPassword() bool {
	offered, known := c.Offers(ExtMe)
	return offered || !known
}

// Me describes the signed-in account (GET /api/auth/me) [ext]; ErrNotOffered
// when the server has no such route, as a stock CoPilot does not.
func (c *Client) Me(ctx context.Context) (*Me, error) {
	var out Me
	err := c.do(ctx, call{method: http.MethodGet, path: "/auth/me", route: routeMe, auth: true, out: &out, retry: true, ext: ExtMe})
	if err != nil {
		return nil, err
	}
	return &out, nil
}

// Health asks whether the server is up (GET /api/health) [ext]; ErrNotOffered
// when the server has no such route.
func (c *Client) Health(ctx context.Context) (*Health, error) {
	var out Health
	err := c.do(ctx, call{method: http.MethodGet, path: "/health", route: routeHealth, out: &out, retry: true, ext: ExtHealth})
	if err != nil {
		return nil, err
	}
	return &out, nil
}
