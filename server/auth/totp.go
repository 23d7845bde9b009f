package auth

import (
	"crypto/subtle"
	"fmt"
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/hotp"
	"github.com/pquerna/otp/totp"
	"github.com/twofa/twofa/internal/otpauth"
	"rsc.io/qr"
)

// Period is the TOTP time step.
const Period = 30 * time.Second

// SecretSize is the TOTP seed length in bytes (160 bits, RFC 4226 §4).
const SecretSize = 20

// qrScale is the PNG's pixels per QR module.
const qrScale = 6

// Enrollment is a freshly generated TOTP key.
type Enrollment struct {
	Secret string // base32, no padding
	URL    string // otpauth://totp/...
}

// NewTOTP generates a 160-bit TOTP secret for account under issuer, with
// its otpauth URI (the shortest one, otpauth.URI: SHA-1, 6 digits and
// 30 s are the defaults and left out).
func NewTOTP(issuer, account string) (Enrollment, error) {
	key, err := totp.Generate(totp.GenerateOpts{
		Issuer:      issuer,
		AccountName: account,
		Period:      uint(Period / time.Second),
		SecretSize:  SecretSize,
		Digits:      otp.DigitsSix,
		Algorithm:   otp.AlgorithmSHA1,
	})
	if err != nil {
		return Enrollment{}, fmt.Errorf("generate TOTP secret: %w", err)
	}
	return Enrollment{Secret: key.Secret(), URL: otpauth.URI(key.Secret(), issuer, account)}, nil
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

// MatchTOTP checks a normalized 6-digit code against the steps T-1, T and
// T+1 of now, comparing every candidate in constant time, and returns the
// latest matching step. The caller still has to accept that step exactly
// once (replay protection).
func MatchTOTP(secret, code string, now time.Time) (step int64, ok bool, err error) {
	opts := hotp.ValidateOpts{Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1}
	t := Step(now)
	for _, s := range []int64{t - 1, t, t + 1} {
		if s < 0 {
			continue
		}
		want, err := hotp.GenerateCodeCustom(secret, uint64(s), opts)
		if err != nil {
			return 0, false, fmt.Errorf("compute TOTP: %w", err)
		}
		if subtle.ConstantTimeCompare([]byte(want), []byte(code)) == 1 {
			step, ok = s, true
		}
	}
	return step, ok, nil
}
