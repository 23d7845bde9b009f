package server

import (
	"fmt"
	"testing"
	"time"
)

// TestPendingCache: an entry is taken once and only while live; a full
// cache makes room by forgetting expired entries, and otherwise remembers
// nothing new rather than forgetting a live one; prune forgets the expired.
func TestPendingCache(t *testing.T) {
	now := time.Unix(1_900_000_000, 0)
	live := pendingEntry{userID: 1, username: "ana", secretEnc: "enc", expires: now.Add(time.Minute)}
	dead := pendingEntry{userID: 2, username: "bo", secretEnc: "enc", expires: now}
	tests := []struct {
		name   string
		fill   func(c *pendingCache)
		take   string
		want   bool
		size   int // entries left after the take
		pruned int // entries left after prune(now)
	}{
		{"live entry", func(c *pendingCache) { c.put("a", live, now) }, "a", true, 0, 0},
		{"taken once", func(c *pendingCache) { c.put("a", live, now); c.take("a", now) }, "a", false, 0, 0},
		{"expired entry", func(c *pendingCache) { c.put("a", dead, now) }, "a", false, 0, 0},
		{"unknown hash", func(c *pendingCache) { c.put("a", live, now) }, "b", false, 1, 1},
		{"prune keeps live", func(c *pendingCache) { c.put("a", live, now); c.put("d", dead, now) }, "x", false, 2, 1},
		{"full of live: new one not kept", func(c *pendingCache) {
			fillCache(c, live, now)
			c.put("new", live, now)
		}, "new", false, pendingCacheSize, pendingCacheSize},
		{"full with expired: room made", func(c *pendingCache) {
			fillCache(c, dead, now)
			c.put("new", live, now)
		}, "new", true, 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := newPendingCache()
			tt.fill(c)
			e, ok := c.take(tt.take, now)
			if ok != tt.want || (ok && e != live) {
				t.Fatalf("take(%q) = %+v, %v; want %v", tt.take, e, ok, tt.want)
			}
			if n := len(c.entries); n != tt.size {
				t.Fatalf("%d entries after the take, want %d", n, tt.size)
			}
			c.prune(now)
			if n := len(c.entries); n != tt.pruned {
				t.Fatalf("%d entries after prune, want %d", n, tt.pruned)
			}
		})
	}
}

// fillCache fills c to its bound with copies of e.
func fillCache(c *pendingCache, e pendingEntry, now time.Time) {
	for i := range pendingCacheSize {
		c.put(fmt.Sprint(i), e, now)
	}
}
