package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// dbFloorRate runs server/store's BenchmarkAcceptStep (from its test binary
// bin) on db ("sqlite" on a temporary file, "postgres" in a schema of its own
// in the database dsn names): total conditional UPDATEs from conc goroutines,
// in updates per second.
func dbFloorRate(ctx context.Context, bin testBinary, db, dsn string, total, conc int) (float64, error) {
	var env []string
	if db == "postgres" {
		env = []string{"TWOFA_TEST_POSTGRES_DSN=" + dsn}
	}
	return goBenchmark(ctx, bin, env, "BenchmarkAcceptStep/"+db, total, "ops/s", fmt.Sprintf("-acceptstep.goroutines=%d", conc))
}

// bcryptScanCost runs server/auth's BenchmarkCoPilotBcryptScan (from its
// test binary bin) for scans scans and returns the CPU time of one.
func bcryptScanCost(ctx context.Context, bin testBinary, scans int) (time.Duration, error) {
	ns, err := goBenchmark(ctx, bin, nil, "BenchmarkCoPilotBcryptScan", scans, "cpu-ns/op")
	return time.Duration(ns), err
}

// goBenchmark runs the Go benchmark name exactly n times from the test
// binary bin, in its package's directory as `go test` would, with env added
// to this process's and args passed on, and returns what its result line
// reports in unit.
func goBenchmark(ctx context.Context, bin testBinary, env []string, name string, n int, unit string, args ...string) (float64, error) {
	argv := append([]string{"-test.run=^$", "-test.bench=" + benchPattern(name), fmt.Sprintf("-test.benchtime=%dx", n)}, args...)
	logf("%s -test.bench %s, %d×", filepath.Base(bin.Path), name, n)
	cmd := exec.CommandContext(ctx, bin.Path, argv...)
	cmd.Dir = bin.Dir
	cmd.Env = append(os.Environ(), env...)
	out, err := cmd.CombinedOutput()
	if err == nil {
		var v float64
		if v, err = benchMetric(string(out), name, unit); err == nil {
			return v, nil
		}
	}
	return 0, fmt.Errorf("%s %s: %w\n%s", filepath.Base(bin.Path), strings.Join(argv, " "), err, out)
}

// benchPattern anchors each part of a benchmark's name for -bench:
// "BenchmarkX/sqlite" becomes "^BenchmarkX$/^sqlite$".
func benchPattern(name string) string {
	parts := strings.Split(name, "/")
	for i, p := range parts {
		parts[i] = "^" + p + "$"
	}
	return strings.Join(parts, "/")
}

// benchMetric finds the result line of benchmark name in `go test -bench`
// output ("BenchmarkX/sqlite-2  5000  40012 ns/op  24992 ops/s", the
// -GOMAXPROCS suffix optional) and returns its value in unit.
func benchMetric(out, name, unit string) (float64, error) {
	for _, line := range strings.Split(out, "\n") {
		f := strings.Fields(line)
		if len(f) < 4 || !sameBenchmark(f[0], name) {
			continue
		}
		for i := 3; i < len(f); i += 2 {
			if f[i] == unit {
				v, err := strconv.ParseFloat(f[i-1], 64)
				if err != nil {
					return 0, fmt.Errorf("benchmark %s: %s is no number: %w", name, unit, err)
				}
				return v, nil
			}
		}
		return 0, fmt.Errorf("benchmark %s reports no %s: %q", name, unit, line)
	}
	return 0, fmt.Errorf("no result line for benchmark %s (skipped?)", name)
}

// sameBenchmark reports whether field, the first of a result line, names
// benchmark name, with or without the -GOMAXPROCS suffix.
func sameBenchmark(field, name string) bool {
	procs, ok := strings.CutPrefix(field, name+"-")
	if !ok {
		return field == name
	}
	_, err := strconv.Atoi(procs)
	return err == nil
}
