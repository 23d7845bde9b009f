package words

import (
	"strings"
	"testing"
	"time"

	"github.com/twofa/twofa/keyring"
)

func TestDuration(t *testing.T) {
	tests := []struct {
		d    time.Duration
		want string
	}{
		{0, "0 s"},
		{16 * time.Second, "16 s"},
		{-40 * time.Second, "40 s"},
		{119600 * time.Millisecond, "2 min"},
		{125 * time.Second, "2 min 5 s"},
		{899 * time.Second, "14 min 59 s"},
		{3 * time.Hour, "3 h"},
		{3*time.Hour + 10*time.Minute, "3 h 10 min"},
	}
	for _, tc := range tests {
		if got := Duration(tc.d); got != tc.want {
			t.Errorf("Duration(%v) = %q, want %q", tc.d, got, tc.want)
		}
	}
}

func TestCountdown(t *testing.T) {
	tests := []struct {
		d    time.Duration
		want string
	}{
		{15 * time.Minute, "15:00"},
		{14*time.Minute + 32*time.Second, "14:32"},
		{14*time.Minute + 31*time.Second + 100*time.Millisecond, "14:32"},
		{time.Second, "0:01"},
		{time.Millisecond, "0:01"},
		{0, "0:00"},
		{-time.Second, "0:00"},
	}
	for _, tc := range tests {
		if got := Countdown(tc.d); got != tc.want {
			t.Errorf("Countdown(%v) = %q, want %q", tc.d, got, tc.want)
		}
	}
}

// inZone runs f with the local zone set to loc, as on a computer there.
func inZone(t *testing.T, loc *time.Location, f func()) {
	t.Helper()
	was := time.Local
	time.Local = loc
	defer func() { time.Local = was }()
	f()
}

// TestTimesAndDays: every absolute time a person reads says it the same
// way — year first, 24-hour clock, the local zone named — whatever zone
// the instant came in; JSON gets UTC.
func TestTimesAndDays(t *testing.T) {
	cet := time.FixedZone("CET", 3600)
	nyc := time.FixedZone("EST", -5*3600)
	at := time.Date(2030, 1, 3, 10, 0, 0, 0, time.UTC) // 11:00 CET, 05:00 EST
	lock := time.Date(2030, 1, 3, 10, 15, 30, 0, time.UTC)
	tests := []struct {
		name string
		zone *time.Location
		got  func() string
		want string
	}{
		{"Time UTC", time.UTC, func() string { return Time(at) }, "2030-01-03 10:00 UTC"},
		{"Time CET", cet, func() string { return Time(at) }, "2030-01-03 11:00 CET"},
		{"Time from another zone", nyc, func() string { return Time(at.In(cet)) }, "2030-01-03 05:00 EST"},
		{"Time day before", nyc, func() string { return Time(time.Date(2030, 1, 3, 2, 0, 0, 0, time.UTC)) }, "2030-01-02 21:00 EST"},
		{"Clock", cet, func() string { return Clock(lock) }, "11:15 CET"},
		{"Day", nyc, func() string { return Day(time.Date(2030, 1, 3, 2, 0, 0, 0, time.UTC)) }, "2030-01-02"},
		{"ShortTime wide", cet, func() string { return ShortTime(at, false) }, "2030-01-03 11:00 CET"},
		{"ShortTime narrow", cet, func() string { return ShortTime(at, true) }, "2030-01-03"},
		{"JSONTime", cet, func() string { return JSONTime(at.In(cet)).Format(time.RFC3339) }, "2030-01-03T10:00:00Z"},
		{"ValidUntil", cet, func() string { return ValidUntil(at) }, "until 2030-01-03 11:00 CET"},
		{"ValidUntil unknown", cet, func() string { return ValidUntil(time.Time{}) }, "until it expires"},
		{"LockedUntil", time.UTC, func() string { return LockedUntil(lock) }, "Locked until 10:15 UTC: too many failed codes"},
		{"AdminLockedUntil", cet, func() string { return AdminLockedUntil(lock) }, "locked until 2030-01-03 11:15 CET"},
		{"LockOutlastsSignIn rounds up", cet, func() string { return LockOutlastsSignIn(lock) }, "Too many failed attempts: code checks are locked until 11:16 CET, after this sign-in expires. Press esc and sign in again after 11:16 CET."},
		{"CopyHeader", cet, func() string { return CopyHeader("https://h", "alice", at) }, "# twofa backup codes for alice at https://h, 2030-01-03 11:00 CET"},
		{"RequiredGrace", cet, func() string { return RequiredGrace(6*24*time.Hour, at) }, "Enable it within 6 days (by 2030-01-03 11:00 CET)"},
		{"SignInExpiredAfter", time.UTC, func() string { return SignInExpiredAfter(5 * time.Minute) }, "Your sign-in expired after 5 min — sign in again."},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			inZone(t, tc.zone, func() {
				if got := tc.got(); !strings.Contains(got, tc.want) {
					t.Errorf("got %q, want %q", got, tc.want)
				}
			})
		})
	}
}

func TestClocks(t *testing.T) {
	if got := ClockDrift(2 * time.Minute); !strings.Contains(got, "clock is 2 min behind the server's") {
		t.Errorf("ClockDrift(+2m) = %q", got)
	}
	if got := ClockDrift(-45 * time.Second); !strings.Contains(got, "clock is 45 s ahead of the server's") {
		t.Errorf("ClockDrift(-45s) = %q", got)
	}
	if got := ServerClock(-3*time.Second, false); got != "in step with this computer (offset -3 s)" {
		t.Errorf("ServerClock in step = %q", got)
	}
	if got := ServerClock(125*time.Second, true); !strings.HasPrefix(got, "2 min 5 s ahead of this computer") {
		t.Errorf("ServerClock drifted = %q", got)
	}
}

func TestBackupCodesLeft(t *testing.T) {
	tests := []struct {
		n       int
		want    string
		suggest bool
	}{
		{4, "Signed in with a backup code. 4 backup codes left.", false},
		{FewBackupCodes, "3 backup codes left.", true},
		{1, "1 backup code left.", true},
		{-1, "That code cannot be used again.", false},
	}
	for _, tc := range tests {
		got := BackupCodesLeft(tc.n)
		if !strings.Contains(got, tc.want) || strings.Contains(got, "regenerate") != tc.suggest {
			t.Errorf("BackupCodesLeft(%d) = %q", tc.n, got)
		}
	}
}

func TestSessionSentences(t *testing.T) {
	exp := time.Date(2030, 1, 3, 10, 0, 0, 0, time.UTC)
	if got := Unrevoked("", "", exp); got != "Signed out here. This server cannot end sessions: the session stays valid there until "+Time(exp)+". Its token was deleted from this computer." {
		t.Errorf("Unrevoked (TUI) = %q", got)
	}
	if got := Unrevoked("alice", "https://h", time.Time{}); got != "Signed out alice here. https://h cannot end sessions: the session stays valid there until it expires. Its token was deleted from this computer." {
		t.Errorf("Unrevoked (CLI) = %q", got)
	}
	tests := []struct {
		st   keyring.Storage
		w    Words
		want string
	}{
		{keyring.Storage{Name: keyring.BackendKernel}, cli, ""},
		{keyring.Storage{Name: "memory only (demo)"}, cli, ""},
		{keyring.Storage{Name: keyring.BackendMemory, MemoryFallback: true}, cli, "kept in memory only"},
		{keyring.Storage{Name: keyring.BackendFile, File: "/h/.config/twofa/sessions.json"}, cli, "stored unencrypted in /h/.config/twofa/sessions.json (you asked for --insecure-storage)"},
		{keyring.Storage{Name: keyring.BackendFile, File: "/f"}, Words{}, "(you asked for that)"},
	}
	for _, tc := range tests {
		if got := tc.w.StorageWarning(tc.st); (tc.want == "") != (got == "") || !strings.Contains(got, tc.want) {
			t.Errorf("StorageWarning(%+v) = %q, want %q", tc.st, got, tc.want)
		}
	}
}
