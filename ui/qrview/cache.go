package qrview

import "sync"

// maxCached bounds a model's render cache: one URI, in a few sizes and two
// polarities.
const maxCached = 8

// renderKey is what a render depends on besides the model's URI and profile.
type renderKey struct {
	quiet    int
	inverted bool
}

// renders is one model's cache of finished drawings, shared by its copies
// (a Model is a value; the cache lives as long as the screen that holds
// it). It holds the secret in the QR code, so Purge empties it when the
// screen is left; nothing outside the model ever sees it.
type renders struct {
	mu sync.Mutex
	m  map[renderKey]string
}

func (r *renders) get(k renderKey) (string, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	s, ok := r.m[k]
	return s, ok
}

func (r *renders) put(k renderKey, s string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.m == nil || len(r.m) >= maxCached {
		r.m = map[renderKey]string{}
	}
	r.m[k] = s
}

func (r *renders) purge() {
	r.mu.Lock()
	defer r.mu.Unlock()
	clear(r.m)
}

func (r *renders) len() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.m)
}
