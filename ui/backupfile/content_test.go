package backupfile

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/exp/golden"
	"github.com/twofa/twofa/internal/codes"
	"github.com/twofa/twofa/internal/harness/hostile"
)

// TestContentGolden pins the file's text for a server that accepts codes in
// any form: header, numbered codes (grouped XXXXX-XXXXX by codes.Shown,
// others unchanged) and the instructions.
func TestContentGolden(t *testing.T) {
	day := time.Date(2025, 3, 7, 10, 0, 0, 0, time.UTC)
	issued := []string{"ABCDEFGHJK", "mnpqr-stvwx", "0123456789", "Z9Y8X-7W6V5", "a1b2c3d4e5",
		"KMNPQRSTVW", "2345678901", "QRSTVWXYZ0", "ABCDE-12345", "98765zyxwv", "short"}
	golden.RequireEqual(t, Content("https://auth.example.com", "alice", day, codes.Shown(issued, true), TypeAnyForm))
}

// TestContentAsIssued: for a server that compares codes as issued
// (CoPilot), every code is written byte for byte and the advice says to
// type it so.
func TestContentAsIssued(t *testing.T) {
	day := time.Date(2025, 3, 7, 10, 0, 0, 0, time.UTC)
	issued := []string{"UCAQU5CUV9", "P9T8RF49T1", "0A1B2C3D4E", "ZZZZZ00000", "K3J4H5G6F7", "M1N2B3V4C5", "Q9W8E7R6T5", "Y1U2I3O4P5"}
	got := string(Content("https://copilot.example.com", "bob", day, codes.Shown(issued, false), TypeExactly))
	for i, c := range issued {
		if !strings.Contains(got, "\n"+string(rune('1'+i))+". "+c+"\n") {
			t.Errorf("code %d %s not written as issued:\n%s", i+1, c, got)
		}
	}
	if strings.Contains(got, "do not matter") || !strings.Contains(got, "Type it exactly as written here") {
		t.Errorf("the advice is not the one for a server that compares codes as issued:\n%s", got)
	}
	for _, line := range strings.Split(got, "\n") {
		if len(line) > 2 && line[1] == '.' && strings.Contains(line, "-") {
			t.Errorf("a dash was added to a code issued without one: %q", line)
		}
	}
}

// TestContentCleansNames: a service or account name with escape sequences
// or hidden characters is written cleaned, so cat shows only text.
func TestContentCleansNames(t *testing.T) {
	day := time.Date(2025, 3, 7, 10, 0, 0, 0, time.UTC)
	got := Content("https://x.example"+hostile.Text(""), hostile.Text("alice"), day, []string{"UCAQU5CUV9"}, TypeExactly)
	if leaks := hostile.Leaks(got); len(leaks) > 0 || bytes.ContainsAny(got, "\x1b\x07\r\b") {
		t.Fatalf("the file leaks %v:\n%q", leaks, got)
	}
	if !bytes.Contains(got, []byte("\nAccount: alice@0@")) || !bytes.Contains(got, []byte("\n1. UCAQU5CUV9\n")) {
		t.Fatalf("the file lost its text:\n%s", got)
	}
}
