package main

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/twofa/twofa/internal/harness/gobuild"
)

// TestBenchMetric reads the figure from real `go test -bench` output: the
// right benchmark's line, with or without the -GOMAXPROCS suffix, the value
// before the unit asked for, and an error for a missing line or unit.
func TestBenchMetric(t *testing.T) {
	const head = "goos: linux\ngoarch: amd64\npkg: github.com/twofa/twofa/server/store\ncpu: AMD EPYC\n"
	const both = head +
		"BenchmarkAcceptStep/sqlite-2         \t    2000\t     55820 ns/op\t     17915 ops/s\n" +
		"BenchmarkAcceptStep/postgres-2       \t    2000\t    136845 ns/op\t      7308 ops/s\n" +
		"PASS\nok  \tgithub.com/twofa/twofa/server/store\t0.627s\n"
	tests := []struct {
		name, out, bench, unit string
		want                   float64
		wantErr                string
	}{
		{"custom metric", both, "BenchmarkAcceptStep/sqlite", "ops/s", 17915, ""},
		{"ns/op of the second line", both, "BenchmarkAcceptStep/postgres", "ns/op", 136845, ""},
		{"no -GOMAXPROCS suffix", head + "BenchmarkAcceptStep/sqlite         \t     100\t     25253 ns/op\t     39600 ops/s\n", "BenchmarkAcceptStep/sqlite", "ops/s", 39600, ""},
		{"top-level benchmark", "BenchmarkCoPilotBcryptScan-2   \t       1\t2401433909 ns/op\t1959755000 cpu-ns/op\nPASS\n", "BenchmarkCoPilotBcryptScan", "cpu-ns/op", 1959755000, ""},
		{"a prefix is another benchmark", both, "BenchmarkAcceptStep/sql", "ops/s", 0, "no result line"},
		{"skipped", head + "BenchmarkAcceptStep\nBenchmarkAcceptStep/postgres\n    acceptstep_bench_test.go:31: TWOFA_TEST_POSTGRES_DSN not set: Postgres skipped, SQLite only\n--- SKIP: BenchmarkAcceptStep/postgres\nPASS\n", "BenchmarkAcceptStep/postgres", "ops/s", 0, "no result line"},
		{"no such unit", both, "BenchmarkAcceptStep/sqlite", "B/op", 0, "reports no B/op"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := benchMetric(tt.out, tt.bench, tt.unit)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("benchMetric = %v, %v; want an error containing %q", got, err, tt.wantErr)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("benchMetric = %v, %v; want %v", got, err, tt.want)
			}
		})
	}
}

// TestBenchPattern anchors every part of the name, so -bench runs that one
// benchmark only.
func TestBenchPattern(t *testing.T) {
	for _, tt := range []struct{ name, want string }{
		{"BenchmarkCoPilotBcryptScan", "^BenchmarkCoPilotBcryptScan$"},
		{"BenchmarkAcceptStep/postgres", "^BenchmarkAcceptStep$/^postgres$"},
	} {
		if got := benchPattern(tt.name); got != tt.want {
			t.Errorf("benchPattern(%q) = %q, want %q", tt.name, got, tt.want)
		}
	}
}

// TestDBFloorRate builds server/store's test binary as the harness does,
// runs the real benchmark from it, goroutine count passed down, and gets a
// rate back.
func TestDBFloorRate(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs server/store's benchmarks")
	}
	root, err := gobuild.ModuleRoot()
	if err != nil {
		t.Fatal(err)
	}
	bin := testBinary{filepath.Join(t.TempDir(), "store.test"), filepath.Join(root, "server", "store")}
	if err := gobuild.BuildTest(root, bin.Path, bin.Dir); err != nil {
		t.Fatal(err)
	}
	rate, err := dbFloorRate(context.Background(), bin, "sqlite", "", 200, 4)
	if err != nil || rate <= 0 {
		t.Fatalf("dbFloorRate = %v, %v", rate, err)
	}
}
