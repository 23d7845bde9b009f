// Package auth holds the server's credential primitives: argon2id hashes
// for passwords and backup codes, opaque tokens stored as SHA-256, TOTP
// checks that report the matched time step, and backup-code generation.
package auth

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"

	"golang.org/x/crypto/argon2"
)

// Params are argon2id cost parameters.
type Params struct {
	Memory  uint32 // KiB
	Time    uint32
	Threads uint8
	SaltLen uint32
	KeyLen  uint32
}

// PasswordParams are the defaults for account passwords (RFC 9106's second
// recommendation with one pass: 64 MiB, t=1, p=2).
var PasswordParams = Params{Memory: 64 * 1024, Time: 1, Threads: 2, SaltLen: 16, KeyLen: 32}

// BackupCodeParams are the defaults for backup codes: OWASP's 19 MiB, t=2,
// p=1. A right code costs one derivation; the keyed index means a wrong
// code costs none.
var BackupCodeParams = Params{Memory: 19 * 1024, Time: 2, Threads: 1, SaltLen: 16, KeyLen: 32}

// LightParams are cheap parameters for tests only, so suites under -race stay fast.
var LightParams = Params{Memory: 64, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}

// ErrMalformedHash is returned for a stored hash that is not an argon2id PHC string.
var ErrMalformedHash = errors.New("malformed argon2id hash")

var b64 = base64.RawStdEncoding

// Hash derives an argon2id hash of secret with a fresh random salt and
// returns it in PHC string form ($argon2id$v=19$m=…,t=…,p=…$salt$key).
// It waits for a derivation slot without a deadline; see HashContext.
func Hash(secret string, p Params) (string, error) {
	return HashContext(context.Background(), secret, p)
}

// HashContext is Hash that stops waiting for a derivation slot (at most
// MaxConcurrentDerivations run at once) when ctx is done.
func HashContext(ctx context.Context, secret string, p Params) (string, error) {
	salt := make([]byte, p.SaltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("read salt: %w", err)
	}
	key, err := derive(ctx, []byte(secret), salt, p.Time, p.Memory, p.Threads, p.KeyLen)
	if err != nil {
		return "", err
	}
	return encodePHC(p, salt, key), nil
}

// DummyHash returns a PHC string with p's costs, a random salt and a random
// key: verifying any password against it costs exactly one derivation with
// those costs and never matches (the key is 2^-256 likely to be hit). It
// derives nothing, so it is cheap to make and allocates no argon2 memory.
func DummyHash(p Params) (string, error) {
	salt := make([]byte, p.SaltLen)
	key := make([]byte, p.KeyLen)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("read salt: %w", err)
	}
	if _, err := rand.Read(key); err != nil {
		return "", fmt.Errorf("read dummy key: %w", err)
	}
	return encodePHC(p, salt, key), nil
}

// encodePHC formats an argon2id hash as $argon2id$v=19$m=…,t=…,p=…$salt$key.
func encodePHC(p Params, salt, key []byte) string {
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s",
		argon2.Version, p.Memory, p.Time, p.Threads, b64.EncodeToString(salt), b64.EncodeToString(key))
}

// derive runs argon2.IDKey once the process-wide limiter has a slot and
// the memory for it.
func derive(ctx context.Context, secret, salt []byte, time, memory uint32, threads uint8, keyLen uint32) ([]byte, error) {
	if err := kdf.acquire(ctx, memory); err != nil {
		return nil, err
	}
	defer kdf.release(memory)
	return argon2.IDKey(secret, salt, time, memory, threads, keyLen), nil
}

// Verify reports whether secret matches a PHC hash made by Hash, comparing
// in constant time with the parameters stored in the hash. It waits for a
// derivation slot without a deadline; see VerifyContext.
func Verify(secret, encoded string) (bool, error) {
	return VerifyContext(context.Background(), secret, encoded)
}

// VerifyContext is Verify that stops waiting for a derivation slot (at
// most MaxConcurrentDerivations run at once) when ctx is done.
func VerifyContext(ctx context.Context, secret, encoded string) (bool, error) {
	parts := strings.Split(encoded, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false, ErrMalformedHash
	}
	var version int
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil || version != argon2.Version {
		return false, ErrMalformedHash
	}
	var p Params
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &p.Memory, &p.Time, &p.Threads); err != nil {
		return false, ErrMalformedHash
	}
	salt, err := b64.DecodeString(parts[4])
	if err != nil {
		return false, ErrMalformedHash
	}
	want, err := b64.DecodeString(parts[5])
	if err != nil || len(want) == 0 {
		return false, ErrMalformedHash
	}
	got, err := derive(ctx, []byte(secret), salt, p.Time, p.Memory, p.Threads, uint32(len(want)))
	if err != nil {
		return false, err
	}
	return subtle.ConstantTimeCompare(got, want) == 1, nil
}
