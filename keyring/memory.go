package keyring

import "sync"

// memoryBackend keeps tokens for the life of the process only.
type memoryBackend struct {
	mu    sync.Mutex
	m     map[string]string
	label string // set when memory was chosen on purpose (NewMemory), not fallen back to
}

func newMemoryBackend() *memoryBackend { return &memoryBackend{m: map[string]string{}} }

func (b *memoryBackend) name() string {
	if b.label != "" {
		return b.label
	}
	return BackendMemory
}

func (b *memoryBackend) set(server, user, token string) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.m[key(server, user)] = token
	return nil
}

func (b *memoryBackend) get(server, user string) (string, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	tok, ok := b.m[key(server, user)]
	if !ok {
		return "", ErrNotFound
	}
	return tok, nil
}

func (b *memoryBackend) del(server, user string) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	delete(b.m, key(server, user))
	return nil
}
