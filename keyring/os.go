package keyring

import (
	"errors"
	"fmt"
	"time"

	gokeyring "github.com/zalando/go-keyring"
)

// OSKeyring is the operating system's secret store (Secret Service, macOS
// Keychain, Windows Credential Manager). Get returns ErrNotFound when absent.
type OSKeyring interface {
	Set(service, user, secret string) error
	Get(service, user string) (string, error)
	Delete(service, user string) error
}

// errTimeout is returned when the OS keyring does not answer in time.
var errTimeout = errors.New("the OS keyring did not answer (is it locked?)")

// probeUser is looked up once to learn whether the OS keyring answers at all.
const probeUser = "twofa-probe"

// zalandoKeyring is the real OS keyring through github.com/zalando/go-keyring.
type zalandoKeyring struct{}

// Set stores secret in the OS keyring.
func (zalandoKeyring) Set(service, user, secret string) error {
	return gokeyring.Set(service, user, secret)
}

// Get reads a secret from the OS keyring, mapping its not-found error to ErrNotFound.
func (zalandoKeyring) Get(service, user string) (string, error) {
	v, err := gokeyring.Get(service, user)
	if errors.Is(err, gokeyring.ErrNotFound) {
		return "", ErrNotFound
	}
	return v, err
}

// Delete removes a secret from the OS keyring, mapping its not-found error to ErrNotFound.
func (zalandoKeyring) Delete(service, user string) error {
	err := gokeyring.Delete(service, user)
	if errors.Is(err, gokeyring.ErrNotFound) {
		return ErrNotFound
	}
	return err
}

// osBackend stores tokens in the OS keyring, each call bounded by timeout.
type osBackend struct {
	kr      OSKeyring
	timeout time.Duration
}

func (b *osBackend) name() string { return BackendOS }

// available reports whether the OS keyring answers a lookup in time.
func (b *osBackend) available() bool {
	_, err := b.get("twofa", probeUser)
	return err == nil || errors.Is(err, ErrNotFound)
}

func (b *osBackend) set(server, user, token string) error {
	_, err := withTimeout(b.timeout, func() (string, error) { return "", b.kr.Set(service(server), user, token) })
	return err
}

func (b *osBackend) get(server, user string) (string, error) {
	return withTimeout(b.timeout, func() (string, error) { return b.kr.Get(service(server), user) })
}

func (b *osBackend) del(server, user string) error {
	_, err := withTimeout(b.timeout, func() (string, error) { return "", b.kr.Delete(service(server), user) })
	return err
}

// service is the OS keyring service name for a server, like gh's "gh:github.com".
func service(server string) string { return "twofa:" + server }

// withTimeout runs f and gives up after d; a call that hangs is left behind
// (the OS keyring offers no way to cancel it).
func withTimeout(d time.Duration, f func() (string, error)) (string, error) {
	type result struct {
		v   string
		err error
	}
	ch := make(chan result, 1)
	go func() {
		v, err := f()
		ch <- result{v, err}
	}()
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case r := <-ch:
		return r.v, r.err
	case <-t.C:
		return "", fmt.Errorf("after %s: %w", d, errTimeout)
	}
}

// errNoOSKeyring is what NoOSKeyring answers to every call.
var errNoOSKeyring = errors.New("no OS keyring")

// NoOSKeyring is an OS keyring that is never there, for tools and tests that
// must reach the same fallback store a headless twofa uses.
type NoOSKeyring struct{}

// Set always fails, so the store falls back to the next backend.
func (NoOSKeyring) Set(string, string, string) error { return errNoOSKeyring }

// Get always fails, so the store falls back to the next backend.
func (NoOSKeyring) Get(string, string) (string, error) { return "", errNoOSKeyring }

// Delete always fails, so the store falls back to the next backend.
func (NoOSKeyring) Delete(string, string) error { return errNoOSKeyring }
