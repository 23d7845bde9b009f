package server

import (
	"sync"
	"time"
)

// pendingCacheSize bounds the pending sign-ins a process remembers: at
// the password costs a core signs in a few dozen people a second, so in
// PendingTTL it issues fewer than this, and they take a few MiB at most.
const pendingCacheSize = 8192

// pendingCache remembers, for the pending sign-ins this process issued,
// what the password step read (the account and its encrypted TOTP
// secret), so that a right code completes in one statement without
// reading them again. It is only a hint: that statement checks the token,
// lock, step and secret in the database, and a miss — another process
// issued the token, the cache was full — or a refusal goes the way of a
// read (see completeSignIn).
type pendingCache struct {
	mu      sync.Mutex
	entries map[string]pendingEntry
}

// pendingEntry is what the password step knew of a pending sign-in.
type pendingEntry struct {
	userID    int64
	username  string
	secretEnc string
	expires   time.Time
}

// newPendingCache returns an empty cache.
func newPendingCache() *pendingCache {
	return &pendingCache{entries: map[string]pendingEntry{}}
}

// put remembers e under its pending token's hash; a full cache first
// forgets its expired entries, and when still full does not remember e.
func (c *pendingCache) put(hash string, e pendingEntry, now time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.entries) >= pendingCacheSize {
		c.pruneLocked(now)
	}
	if len(c.entries) < pendingCacheSize {
		c.entries[hash] = e
	}
}

// take forgets the entry for hash and returns it when it was live at now.
func (c *pendingCache) take(hash string, now time.Time) (pendingEntry, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.entries[hash]
	if !ok {
		return pendingEntry{}, false
	}
	delete(c.entries, hash)
	return e, e.expires.After(now)
}

// prune forgets the entries expired at now.
func (c *pendingCache) prune(now time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.pruneLocked(now)
}

func (c *pendingCache) pruneLocked(now time.Time) {
	for h, e := range c.entries {
		if !e.expires.After(now) {
			delete(c.entries, h)
		}
	}
}
