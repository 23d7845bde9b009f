package auth

import (
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/hotp"
	"github.com/twofa/twofa/internal/codes"
)

func TestHashVerify(t *testing.T) {
	h, err := Hash("correct horse", LightParams)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=64,t=1,p=1$") {
		t.Fatalf("hash %q is not a PHC argon2id string", h)
	}
	h2, _ := Hash("correct horse", LightParams)
	if h == h2 {
		t.Fatal("two hashes of one secret are equal: salt missing")
	}
	tests := []struct {
		secret, hash string
		ok           bool
		err          bool
	}{
		{"correct horse", h, true, false},
		{"correct horsE", h, false, false},
		{"", h, false, false},
		{"x", "$argon2i$v=19$m=64,t=1,p=1$c2FsdA$a2V5", false, true},
		{"x", "plain", false, true},
		{"x", "$argon2id$v=19$m=64,t=1,p=1$!!$a2V5", false, true},
	}
	for _, tt := range tests {
		ok, err := Verify(tt.secret, tt.hash)
		if ok != tt.ok || (err != nil) != tt.err {
			t.Errorf("Verify(%q, %q) = %v, %v", tt.secret, tt.hash, ok, err)
		}
	}
}

func TestNewToken(t *testing.T) {
	seen := map[string]bool{}
	for i := 0; i < 100; i++ {
		tok, hash, err := NewToken()
		if err != nil {
			t.Fatal(err)
		}
		if len(tok) != 43 || len(hash) != 64 || HashToken(tok) != hash || seen[tok] {
			t.Fatalf("token %d: len %d, hash len %d", i, len(tok), len(hash))
		}
		seen[tok] = true
	}
}

func TestNewBackupCodes(t *testing.T) {
	cs, err := NewBackupCodes(BackupCodeCount)
	if err != nil {
		t.Fatal(err)
	}
	if len(cs) != 10 {
		t.Fatalf("%d codes", len(cs))
	}
	seen := map[string]bool{}
	for _, c := range cs {
		n, ok := codes.NormalizeBackup(codes.FormatBackup(c))
		if len(c) != codes.BackupLen || !ok || n != c || seen[c] {
			t.Fatalf("bad code %q", c)
		}
		for _, r := range c {
			if !strings.ContainsRune(codes.BackupAlphabet, r) {
				t.Fatalf("code %q has %q outside the alphabet", c, r)
			}
		}
		seen[c] = true
	}
}

func TestMatchTOTP(t *testing.T) {
	e, err := NewTOTP("twofa", "alice")
	if err != nil {
		t.Fatal(err)
	}
	if len(e.Secret) != 32 || !strings.Contains(e.URL, "issuer=twofa") || !strings.HasPrefix(e.URL, "otpauth://totp/twofa:alice?") {
		t.Fatalf("enrollment %q", e.URL)
	}
	now := time.Date(2025, 1, 1, 0, 0, 10, 0, time.UTC)
	base := Step(now)
	code := func(step int64) string {
		c, _ := hotp.GenerateCodeCustom(e.Secret, uint64(step), hotp.ValidateOpts{Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1})
		return c
	}
	for _, tt := range []struct {
		delta int64
		ok    bool
	}{{-2, false}, {-1, true}, {0, true}, {1, true}, {2, false}} {
		step, ok, err := MatchTOTP(e.Secret, code(base+tt.delta), now)
		if err != nil || ok != tt.ok || (ok && step != base+tt.delta) {
			t.Errorf("delta %d: step %d ok %v err %v", tt.delta, step, ok, err)
		}
	}
	// Past 2038: the 64-bit counter keeps working.
	far := time.Date(2040, 1, 1, 0, 0, 0, 0, time.UTC)
	if _, ok, _ := MatchTOTP(e.Secret, code(Step(far)), far); !ok {
		t.Error("code after 2038 refused")
	}
}

// TestMatchTOTPAgainstOathtool cross-checks with an independent
// implementation (Debian's oathtool) when it is installed.
func TestMatchTOTPAgainstOathtool(t *testing.T) {
	if _, err := exec.LookPath("oathtool"); err != nil {
		t.Skip("oathtool not installed")
	}
	e, _ := NewTOTP("twofa", "bob")
	now := time.Date(2031, 5, 6, 7, 8, 9, 0, time.UTC)
	out, err := exec.Command("oathtool", "--totp", "-b", "--now", now.Format("2006-01-02 15:04:05 UTC"), e.Secret).Output()
	if err != nil {
		t.Fatalf("oathtool: %v", err)
	}
	step, ok, err := MatchTOTP(e.Secret, strings.TrimSpace(string(out)), now)
	if err != nil || !ok || step != Step(now) {
		t.Fatalf("oathtool's code: step %d ok %v err %v", step, ok, err)
	}
}
