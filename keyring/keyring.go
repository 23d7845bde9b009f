// Package keyring keeps a session token per (server, username) between runs
// without leaving it on disk in plain text: in the OS keyring when there is
// one, else (Linux) in the kernel keyring, else — only when asked — in a
// 0600 file, else in memory only.
package keyring

import (
	"errors"
	"fmt"
	"sync"
	"time"
)

// ErrNotFound is returned by Load when no session is stored.
var ErrNotFound = errors.New("no stored session")

// Backend names as Backend reports them.
const (
	BackendOS     = "OS keyring"
	BackendKernel = "kernel keyring"
	BackendFile   = "file (insecure)"
	BackendMemory = "memory only"
)

// osTimeout bounds every OS keyring call: a locked Secret Service can block forever.
const osTimeout = 3 * time.Second

// Options choose where sessions may be stored.
type Options struct {
	// InsecureFile allows a plaintext 0600 file when no keyring works.
	InsecureFile bool
	// Dir is the directory of that file (the twofa config directory).
	Dir string
	// OS is the OS keyring; nil means github.com/zalando/go-keyring. Every
	// call is bounded by a 3-second timeout either way.
	OS OSKeyring
}

// backend is one place a token can live.
type backend interface {
	name() string
	set(server, user, token string) error
	get(server, user string) (string, error) // ErrNotFound when absent
	del(server, user string) error           // nil when absent
}

// Store saves, loads and deletes session tokens; it is safe for concurrent use.
type Store struct {
	opts    Options
	timeout time.Duration
	kernel  func() (backend, error) // nil where there is no kernel keyring

	mu     sync.Mutex
	chosen backend
}

// New returns a Store. It does no I/O: the backend is chosen on first use.
func New(opts Options) *Store {
	return &Store{opts: opts, timeout: osTimeout, kernel: kernelBackend}
}

// NewMemory returns a Store that keeps sessions in this process's memory on
// purpose (a demo, a test): Backend reports name and Warning stays empty.
func NewMemory(name string) *Store {
	b := newMemoryBackend()
	b.label = name
	return &Store{chosen: b}
}

// Save stores token for (server, user), replacing any earlier one.
func (s *Store) Save(server, user, token string) error {
	if token == "" {
		return errors.New("refusing to store an empty token")
	}
	b := s.backend()
	if err := b.set(server, user, token); err != nil {
		return fmt.Errorf("save session in %s: %w", b.name(), err)
	}
	return nil
}

// Load returns the token stored for (server, user), or ErrNotFound.
func (s *Store) Load(server, user string) (string, error) {
	b := s.backend()
	tok, err := b.get(server, user)
	if errors.Is(err, ErrNotFound) {
		return "", ErrNotFound
	}
	if err != nil {
		return "", fmt.Errorf("load session from %s: %w", b.name(), err)
	}
	return tok, nil
}

// Delete removes the token for (server, user); deleting nothing is not an error.
func (s *Store) Delete(server, user string) error {
	b := s.backend()
	if err := b.del(server, user); err != nil && !errors.Is(err, ErrNotFound) {
		return fmt.Errorf("delete session from %s: %w", b.name(), err)
	}
	return nil
}

// Storage describes where a Store keeps tokens, as facts for a front end to
// put into words; its zero value (before the first Save, Load or Delete)
// says nothing is chosen yet.
type Storage struct {
	// Name is the storage's name ("OS keyring", "kernel keyring", "file
	// (insecure)", "memory only"), or the name NewMemory was given.
	Name string
	// File is the plaintext file tokens are kept in, when it is one
	// (Options.InsecureFile and no keyring answered).
	File string
	// MemoryFallback is true when no keyring answered and no file was
	// allowed, so tokens last only as long as this process.
	MemoryFallback bool
}

// Storage reports where tokens are kept; the zero Storage before first use.
func (s *Store) Storage() Storage {
	s.mu.Lock()
	defer s.mu.Unlock()
	switch b := s.chosen.(type) {
	case nil:
		return Storage{}
	case *fileBackend:
		return Storage{Name: b.name(), File: b.path()}
	case *memoryBackend:
		return Storage{Name: b.name(), MemoryFallback: b.label == ""}
	default:
		return Storage{Name: b.name()}
	}
}

// backend picks the storage on first use, in order: OS keyring, kernel
// keyring, file (only with InsecureFile), memory.
func (s *Store) backend() backend {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.chosen != nil {
		return s.chosen
	}
	s.chosen = s.choose()
	return s.chosen
}

func (s *Store) choose() backend {
	osk := s.opts.OS
	if osk == nil {
		osk = zalandoKeyring{}
	}
	ob := &osBackend{kr: osk, timeout: s.timeout}
	if ob.available() {
		return ob
	}
	if s.kernel != nil {
		if kb, err := s.kernel(); err == nil {
			return kb
		}
	}
	if s.opts.InsecureFile && s.opts.Dir != "" {
		return &fileBackend{dir: s.opts.Dir}
	}
	return newMemoryBackend()
}

// key is the account name a token is filed under, e.g. "twofa:https://host:alice".
func key(server, user string) string { return "twofa:" + server + ":" + user }
