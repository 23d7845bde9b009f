package client

import "sync"

// TokenSource supplies the current session token; "" means not signed in.
type TokenSource interface {
	Token() string
}

// TokenHolder is a concurrency-safe TokenSource the caller sets after sign-in.
type TokenHolder struct {
	mu  sync.RWMutex
	tok string
}

// NewTokenHolder returns an empty TokenHolder.
func NewTokenHolder() *TokenHolder { return &TokenHolder{} }

// Set stores the session token.
func (h *TokenHolder) Set(token string) {
	h.mu.Lock()
	h.tok = token
	h.mu.Unlock()
}

// Token returns the session token, or "" when none is held.
func (h *TokenHolder) Token() string {
	h.mu.RLock()
	defer h.mu.RUnlock()
	return h.tok
}

// Clear forgets the session token.
func (h *TokenHolder) Clear() { h.Set("") }
