package codes

import (
	"strings"
	"testing"
)

func TestNormalizeTOTP(t *testing.T) {
	tests := []struct {
		in   string
		want string
		ok   bool
	}{
		{"123456", "123456", true},
		{" 123 456 ", "123456", true},
		{"123-456", "123456", true},
		{"12345", "12345", false},
		{"1234567", "1234567", false},
		{"12a456", "12a456", false},
		{"١٢٣٤٥٦", "١٢٣٤٥٦", false},
		{"", "", false},
	}
	for _, tt := range tests {
		got, ok := NormalizeTOTP(tt.in)
		if got != tt.want || ok != tt.ok {
			t.Errorf("NormalizeTOTP(%q) = %q, %v; want %q, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

func TestNormalizeBackup(t *testing.T) {
	tests := []struct {
		in   string
		want string
		ok   bool
	}{
		{"ABCDE-FGH23", "ABCDEFGH23", true},
		{"abcde fgh23", "ABCDEFGH23", true},
		{"  aBcDe-\tFgH23 ", "ABCDEFGH23", true},
		{"ucaqu5cuv9", "UCAQU5CUV9", true},
		{"ucaqu–5cuv9", "UCAQU5CUV9", true},
		{"abc", "ABC", false},
		{"abcde_fgh23", "ABCDE_FGH23", false},
		{strings.Repeat("a", 65), strings.Repeat("A", 65), false},
		{"", "", false},
	}
	for _, tt := range tests {
		got, ok := NormalizeBackup(tt.in)
		if got != tt.want || ok != tt.ok {
			t.Errorf("NormalizeBackup(%q) = %q, %v; want %q, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

func TestFormatBackup(t *testing.T) {
	tests := []struct{ in, want string }{
		{"ABCDEFGH23", "ABCDE-FGH23"},
		{"UCAQU5CUV", "UCAQU5CUV"},
	}
	for _, tt := range tests {
		if got := FormatBackup(tt.in); got != tt.want {
			t.Errorf("FormatBackup(%q) = %q; want %q", tt.in, got, tt.want)
		}
	}
}

func TestShown(t *testing.T) {
	issued := []string{"UCAQU5CUV9", "abcde-fghjk", "SHORT", "P9T8R-F49T1"}
	tests := []struct {
		anyForm bool
		want    []string
	}{
		{true, []string{"UCAQU-5CUV9", "ABCDE-FGHJK", "SHORT", "P9T8R-F49T1"}},
		{false, issued},
	}
	for _, tt := range tests {
		got := Shown(issued, tt.anyForm)
		if strings.Join(got, " ") != strings.Join(tt.want, " ") {
			t.Errorf("Shown(anyForm=%v) = %q; want %q", tt.anyForm, got, tt.want)
		}
	}
}

func TestBackupAlphabetHas32Symbols(t *testing.T) {
	seen := map[rune]bool{}
	for _, r := range BackupAlphabet {
		seen[r] = true
	}
	if len(seen) != 32 || len(BackupAlphabet) != 32 {
		t.Fatalf("alphabet has %d distinct of %d symbols, want 32", len(seen), len(BackupAlphabet))
	}
}

// FuzzNormalizeBackup checks that normalization is idempotent and that an
// accepted code round-trips through its display form.
func FuzzNormalizeBackup(f *testing.F) {
	f.Fuzz(func(t *testing.T, s string) {
		n, ok := NormalizeBackup(s)
		if !ok {
			return
		}
		again, ok2 := NormalizeBackup(n)
		if !ok2 || again != n {
			t.Fatalf("not idempotent: %q -> %q -> %q", s, n, again)
		}
		back, ok3 := NormalizeBackup(FormatBackup(n))
		if !ok3 || back != n {
			t.Fatalf("display form does not round-trip: %q -> %q", n, back)
		}
	})
}

// FuzzNormalizeTOTP checks that an accepted TOTP code is six ASCII digits.
func FuzzNormalizeTOTP(f *testing.F) {
	f.Fuzz(func(t *testing.T, s string) {
		n, ok := NormalizeTOTP(s)
		if !ok {
			return
		}
		if len(n) != 6 || strings.Trim(n, "0123456789") != "" {
			t.Fatalf("accepted %q as %q", s, n)
		}
	})
}

func TestCanonicalBackup(t *testing.T) {
	tests := []struct {
		in   string
		want string
		ok   bool
	}{
		{"ABCDE-12345", "ABCDE12345", true},
		{"abcde-i2345", "ABCDE12345", true},                      // I for 1
		{"abcde l2345", "ABCDE12345", true},                      // l for 1
		{"0o0o0-OoOo0", "0000000000", true},                      // O and o for 0
		{"q9t8r-f49ti", "Q9T8RF49T1", true},                      // lowercase, I last
		{"abc", "ABC", false},                                    // too short: not mapped
		{"abcde_fgh23", "ABCDE_FGH23", false},                    // not a code
		{"UVWXY-Z0123", "UVWXYZ0123", true},                      // U is not a digit's look-alike: kept
		{strings.Repeat("o", 64), strings.Repeat("0", 64), true}, // the longest code
	}
	for _, tt := range tests {
		got, ok := CanonicalBackup(tt.in)
		if got != tt.want || ok != tt.ok {
			t.Errorf("CanonicalBackup(%q) = %q, %v; want %q, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
	// Every code of the alphabet is its own canonical form.
	code := BackupAlphabet[:BackupLen]
	if got, _ := CanonicalBackup(code); got != code {
		t.Errorf("CanonicalBackup(%q) = %q", code, got)
	}
}
