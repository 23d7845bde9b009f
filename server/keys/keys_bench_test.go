package keys

import "testing"

// BenchmarkIndexOf is what a wrong backup code costs the server besides one
// indexed lookup: one HMAC-SHA-256 of the normalized code.
func BenchmarkIndexOf(b *testing.B) {
	x, err := NewIndex("", "a-jwt-secret-that-is-long-enough-for-the-bench")
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		_ = x.Of(42, "ABCDEFGHJK")
	}
}

// BenchmarkRingDecrypt is decrypting a stored TOTP secret, done on every
// TOTP check.
func BenchmarkRingDecrypt(b *testing.B) {
	r, err := NewRing("", "a-jwt-secret-that-is-long-enough-for-the-bench")
	if err != nil {
		b.Fatal(err)
	}
	tok, err := r.Encrypt([]byte("JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"))
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := r.Decrypt(tok); err != nil {
			b.Fatal(err)
		}
	}
}
