package codes

import "testing"

// Code normalization runs on every keystroke in the TUI and on every code the
// server receives; these show it stays in the nanoseconds and allocation-light.
func BenchmarkNormalize(b *testing.B) {
	benches := []struct {
		name string
		fn   func(string) (string, bool)
		in   string
	}{
		{"TOTP/plain", NormalizeTOTP, "123456"},
		{"TOTP/spaced", NormalizeTOTP, " 123 456 "},
		{"Backup/formatted", NormalizeBackup, "abcde-fghjk"},
		{"Backup/upper", NormalizeBackup, "ABCDEFGHJK"},
		{"Backup/too-long", NormalizeBackup, "ABCDEFGHJKABCDEFGHJKABCDEFGHJKABCDEFGHJKABCDEFGHJKABCDEFGHJKABCDEFGHJK"},
	}
	for _, bb := range benches {
		b.Run(bb.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				_, _ = bb.fn(bb.in)
			}
		})
	}
}

func BenchmarkFormatBackup(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		_ = FormatBackup("ABCDEFGHJK")
	}
}
