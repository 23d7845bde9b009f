package client

import (
	"context"
	"net/http"
)

// Me describes the signed-in account (GET /api/auth/me) [ext]; ErrNotOffered
// when the server has no such route, as a stock CoPilot does not.
func (c *Client) Me(ctx context.Context) (*Me, error) {
	var out Me
	err := c.do(ctx, call{method: http.MethodGet, path: "/auth/me", route: routeMe, auth: true, out: &out, retry: true, ext: true})
	if err != nil {
		return nil, err
	}
	return &out, nil
}

// Health asks whether the server is up (GET /api/health) [ext]; ErrNotOffered
// when the server has no such route.
func (c *Client) Health(ctx context.Context) (*Health, error) {
	var out Health
	err := c.do(ctx, call{method: http.MethodGet, path: "/health", route: routeHealth, out: &out, retry: true, ext: true})
	if err != nil {
		return nil, err
	}
	return &out, nil
}
