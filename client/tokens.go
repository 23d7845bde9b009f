package client

import (
	"encoding/base64"
	"strings"
	"sync"
	"time"
)

// TokenSource supplies the current session token; "" means not signed in.
type TokenSource interface {
	Token() string
}

// staticToken is the TokenSource of a client bound to one token (WithToken).
type staticToken string

// Token returns the token the client was bound to.
func (t staticToken) Token() string { return string(t) }

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

// TokenExpiry reads the "exp" claim of a JWT-shaped token without checking
// its signature, to tell a person until when a session the server cannot
// revoke stays valid; it must never decide anything. ok is false for an
// opaque token or one without a plausible exp.
func TokenExpiry(token string) (exp time.Time, ok bool) {
	claims, ok := readClaims(token)
	if !ok || claims.Exp == nil {
		return time.Time{}, false
	}
	secs := *claims.Exp
	if secs <= 0 || secs > maxExp {
		return time.Time{}, false
	}
	return time.Unix(int64(secs), 0).UTC(), true
}

// jwtClaims are the claims of a JWT twofa reads; every other is ignored.
type jwtClaims struct {
	Exp    *float64 `json:"exp"`
	Scopes []string `json:"scopes" text:"max=64,items=32"`
}

// TokenScopes reads the "scopes" claim of a JWT-shaped token (CoPilot's
// role) without checking its signature: it only chooses what a screen
// offers, the server decides; nil for an opaque token.
func TokenScopes(token string) []string {
	claims, _ := readClaims(token)
	return claims.Scopes
}

// readClaims decodes a JWT-shaped token's claims, unchecked; ok is false
// for an opaque token.
func readClaims(token string) (jwtClaims, bool) {
	var claims jwtClaims
	parts := strings.Split(token, ".")
	if len(parts) != 3 || len(parts[1]) > 8<<10 {
		return claims, false
	}
	raw, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(parts[1], "="))
	if err != nil || decode(raw, &claims) != nil {
		return jwtClaims{}, false
	}
	return claims, true
}

// maxExp bounds a believable exp: the start of the year 10000.
const maxExp = 253402300800
