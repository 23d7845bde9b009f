package auth

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha1"
	"crypto/subtle"
	"encoding/base32"
	"encoding/binary"
	"fmt"
	"strings"
	"time"

	"github.com/twofa/twofa/internal/otpauth"
	"rsc.io/qr"
)

// Period is the TOTP time step.
const Period = 30 * time.Second

// SecretSize is the TOTP seed length in bytes (160 bits, RFC 4226 §4).
const SecretSize = 20

// qrScale is the PNG's pixels per QR module.
const qrScale = 6

var b32 = base32.StdEncoding.WithPadding(base32.NoPadding)

// Enrollment is a freshly generated TOTP key.
type Enrollment struct {
	Secret string // base32, no padding
	URL    string // otpauth://totp/...
}

// NewTOTP generates a 160-bit TOTP secret for account under issuer, with
// its otpauth URI (the shortest one, otpauth.URI: SHA-1, 6 digits and
// 30 s are the defaults and left out).
func NewTOTP(issuer, account string) (Enrollment, error) {
	seed := make([]byte, SecretSize)
	if _, err := rand.Read(seed); err != nil {
		return Enrollment{}, fmt.Errorf("generate TOTP secret: %w", err)
	}
	secret := b32.EncodeToString(seed)
	return Enrollment{Secret: secret, URL: otpauth.URI(secret, issuer, account)}, nil
}

// QRPNG draws text as a QR code (error correction M) in a PNG image.
func QRPNG(text string) ([]byte, error) {
	c, err := qr.Encode(text, qr.M)
	if err != nil {
		return nil, fmt.Errorf("draw QR code: %w", err)
	}
	c.Scale = qrScale
	return c.PNG(), nil
}

// Step returns the TOTP time step (counter) of t.
func Step(t time.Time) int64 {
	return t.Unix() / int64(Period/time.Second)
}

// decodeSecret reads a base32 secret as authenticator apps do: case and
// surrounding space ignored, padding optional.
func decodeSecret(secret string) ([]byte, error) {
	s := strings.TrimRight(strings.ToUpper(strings.TrimSpace(secret)), "=")
	key, err := b32.DecodeString(s)
	if err != nil {
		return nil, fmt.Errorf("compute TOTP: secret is not base32: %w", err)
	}
	return key, nil
}

// hotpCode is RFC 4226's 6-digit code of key at counter (HMAC-SHA-1).
func hotpCode(key []byte, counter uint64) string {
	var msg [8]byte
	binary.BigEndian.PutUint64(msg[:], counter)
	m := hmac.New(sha1.New, key)
	m.Write(msg[:])
	sum := m.Sum(nil)
	off := sum[len(sum)-1] & 0x0f
	v := binary.BigEndian.Uint32(sum[off:off+4]) & 0x7fffffff
	return fmt.Sprintf("%06d", v%1_000_000)
}

// MatchTOTP checks a normalized 6-digit code against the steps T-1, T and
// T+1 of now, comparing every candidate in constant time, and returns the
// latest matching step. The caller still has to accept that step exactly
// once (replay protection).
func MatchTOTP(secret, code string, now time.Time) (step int64, ok bool, err error) {
	key, err := decodeSecret(secret)
	if err != nil {
		return 0, false, err
	}
	t := Step(now)
	for _, s := range []int64{t - 1, t, t + 1} {
		if s < 0 {
			continue
		}
		if subtle.ConstantTimeCompare([]byte(hotpCode(key, uint64(s))), []byte(code)) == 1 {
			step, ok = s, true
		}
	}
	return step, ok, nil
}
