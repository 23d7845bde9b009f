//go:build unix

package auth

import (
	"syscall"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"
)

// coPilotBackupCodes is how many backup codes CoPilot stores and bcrypt-scans.
const coPilotBackupCodes = 8

// BenchmarkCoPilotBcryptScan is CoPilot's check of a wrong backup code, the
// design this server's keyed index replaces: the code compared with bcrypt
// (cost 12) against each of 8 stored hashes; cpu-ns/op is this process's
// CPU time (getrusage) per scan, the figure bench/ reports.
func BenchmarkCoPilotBcryptScan(b *testing.B) {
	plain, err := NewBackupCodes(coPilotBackupCodes + 1)
	if err != nil {
		b.Fatal(err)
	}
	stored := make([][]byte, coPilotBackupCodes)
	for i := range stored {
		if stored[i], err = bcrypt.GenerateFromPassword([]byte(plain[i]), 12); err != nil {
			b.Fatal(err)
		}
	}
	wrong := []byte(plain[coPilotBackupCodes]) // distinct from every stored code
	before := processCPU(b)
	for b.Loop() {
		for _, h := range stored {
			if bcrypt.CompareHashAndPassword(h, wrong) == nil {
				b.Fatal("a wrong code matched a stored bcrypt hash")
			}
		}
	}
	b.ReportMetric(float64(processCPU(b)-before)/float64(b.N), "cpu-ns/op")
}

// processCPU returns this process's user+system CPU time.
func processCPU(b *testing.B) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		b.Fatalf("getrusage: %v", err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
