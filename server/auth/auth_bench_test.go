package auth

import (
	"testing"
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/hotp"
)

// BenchmarkMatchTOTP is the server's TOTP check: three HMAC-SHA-1 steps
// compared in constant time, whether the code is right or wrong.
func BenchmarkMatchTOTP(b *testing.B) {
	enr, err := NewTOTP("bench", "alice")
	if err != nil {
		b.Fatal(err)
	}
	now := time.Unix(1_900_000_015, 0)
	right, err := hotp.GenerateCodeCustom(enr.Secret, uint64(Step(now)), hotp.ValidateOpts{Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1})
	if err != nil {
		b.Fatal(err)
	}
	wrong := "000000"
	if right == wrong {
		wrong = "111111"
	}
	for _, bb := range []struct{ name, code string }{{"right", right}, {"wrong", wrong}} {
		b.Run(bb.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, ok, err := MatchTOTP(enr.Secret, bb.code, now); err != nil || ok != (bb.name == "right") {
					b.Fatalf("MatchTOTP(%s) = %v, %v", bb.name, ok, err)
				}
			}
		})
	}
}

// BenchmarkVerifyBackupCode is the cost of a right backup code: exactly one
// argon2id derivation with the default backup-code parameters. A wrong code
// never reaches it (see keys.BenchmarkIndexOf).
func BenchmarkVerifyBackupCode(b *testing.B) { benchVerify(b, "ABCDEFGHJK", BackupCodeParams) }

// BenchmarkVerifyPassword is one password check with the default
// parameters: the floor of a sign-in.
func BenchmarkVerifyPassword(b *testing.B) {
	benchVerify(b, "correct horse battery staple", PasswordParams)
}

// benchVerify times Verify of secret against its hash with p.
func benchVerify(b *testing.B, secret string, p Params) {
	h, err := Hash(secret, p)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if ok, err := Verify(secret, h); err != nil || !ok {
			b.Fatalf("Verify = %v, %v", ok, err)
		}
	}
}

// BenchmarkNewBackupCodes is generating one set of codes (without hashing).
func BenchmarkNewBackupCodes(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := NewBackupCodes(BackupCodeCount); err != nil {
			b.Fatal(err)
		}
	}
}
