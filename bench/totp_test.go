package main

import (
	"encoding/base32"
	"testing"
	"time"
)

// RFC 6238 Appendix B, SHA-1 seed "12345678901234567890", last 6 digits.
func TestHOTPRFC6238Vectors(t *testing.T) {
	secret := base32.StdEncoding.EncodeToString([]byte("12345678901234567890"))
	key, err := decodeSecret(secret)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		unix int64
		want string
	}{
		{59, "287082"},
		{1111111109, "081804"},
		{1111111111, "050471"},
		{1234567890, "005924"},
		{2000000000, "279037"},
		{20000000000, "353130"},
	}
	for _, tt := range tests {
		if got := hotp(key, stepAt(time.Unix(tt.unix, 0))); got != tt.want {
			t.Errorf("TOTP at %d = %s, want %s", tt.unix, got, tt.want)
		}
	}
}
