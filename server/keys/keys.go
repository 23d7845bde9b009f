// Package keys holds the server keys that never live in the database: the
// Fernet keys that encrypt TOTP secrets and the HMAC key of the backup-code
// index.
package keys

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"

	"github.com/fernet/fernet-go"
)

// ErrDecrypt is returned when no configured key opens a ciphertext.
var ErrDecrypt = errors.New("secret cannot be decrypted with any configured TOTP_ENCRYPTION_KEY")

// indexLabel separates the derived index key from every other use of JWT_SECRET.
const indexLabel = "twofa backup-code index key v1"

// Ring is the ordered list of Fernet keys: the first encrypts, all decrypt.
type Ring struct {
	keys []*fernet.Key
}

// DeriveFernetKey returns the key CoPilot derives from its JWT secret: the
// url-safe base64 of SHA-256(secret).
func DeriveFernetKey(jwtSecret string) string {
	sum := sha256.Sum256([]byte(jwtSecret))
	return base64.URLEncoding.EncodeToString(sum[:])
}

// NewRing parses a comma-separated list of Fernet keys; an empty list means
// the single key derived from jwtSecret.
func NewRing(list, jwtSecret string) (*Ring, error) {
	var parts []string
	for _, p := range strings.Split(list, ",") {
		if p = strings.TrimSpace(p); p != "" {
			parts = append(parts, p)
		}
	}
	if len(parts) == 0 {
		if jwtSecret == "" {
			return nil, errors.New("no TOTP encryption key and no JWT secret to derive one from")
		}
		parts = []string{DeriveFernetKey(jwtSecret)}
	}
	ring := &Ring{}
	for i, p := range parts {
		k, err := fernet.DecodeKey(p)
		if err != nil {
			// The key text itself is secret: name only its position.
			return nil, fmt.Errorf("TOTP encryption key #%d is not a Fernet key (32 bytes, url-safe base64)", i+1)
		}
		ring.keys = append(ring.keys, k)
	}
	return ring, nil
}

// Len returns how many keys the ring holds.
func (r *Ring) Len() int { return len(r.keys) }

// Encrypt seals plaintext under the first key.
func (r *Ring) Encrypt(plaintext []byte) (string, error) {
	tok, err := fernet.EncryptAndSign(plaintext, r.keys[0])
	if err != nil {
		return "", fmt.Errorf("encrypt secret: %w", err)
	}
	return string(tok), nil
}

// Decrypt opens a token sealed under any key of the ring.
func (r *Ring) Decrypt(token string) ([]byte, error) {
	msg := fernet.VerifyAndDecrypt([]byte(token), 0, r.keys)
	if msg == nil {
		return nil, ErrDecrypt
	}
	return msg, nil
}

// Index is the HMAC-SHA-256 key that turns a backup code into its lookup index.
type Index struct {
	key []byte
}

// NewIndex returns the index key: explicit (hex or any text of at least 32
// bytes) when given, otherwise derived from jwtSecret under a fixed label.
func NewIndex(explicit, jwtSecret string) (*Index, error) {
	if explicit != "" {
		if b, err := hex.DecodeString(explicit); err == nil && len(b) >= 32 {
			return &Index{key: b}, nil
		}
		if len(explicit) < 32 {
			return nil, errors.New("TWOFA_INDEX_KEY must be at least 32 bytes (or 64 hex digits)")
		}
		return &Index{key: []byte(explicit)}, nil
	}
	if jwtSecret == "" {
		return nil, errors.New("no index key and no JWT secret to derive one from")
	}
	m := hmac.New(sha256.New, []byte(jwtSecret))
	m.Write([]byte(indexLabel))
	return &Index{key: m.Sum(nil)}, nil
}

// Of returns the hex index of a normalized backup code for one account.
func (x *Index) Of(userID int64, normalizedCode string) string {
	m := hmac.New(sha256.New, x.key)
	fmt.Fprintf(m, "%d:%s", userID, normalizedCode)
	return hex.EncodeToString(m.Sum(nil))
}

// Label returns the hex HMAC of value under the index key, in a domain of
// its own (a domain is never all digits, so no label equals a code's index).
func (x *Index) Label(domain, value string) string {
	m := hmac.New(sha256.New, x.key)
	fmt.Fprintf(m, "%s:%s", domain, value)
	return hex.EncodeToString(m.Sum(nil))
}
