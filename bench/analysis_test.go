package main

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// runFigures is a made-up run with round numbers, so the analysis's
// arithmetic can be checked by hand.
func runFigures() []Figure {
	return []Figure{
		fig("validate_per_s", "", 1000, ""),
		fig("http_floor_per_s", "", 2500, ""),
		fig("db_floor_per_s", "", 10000, ""),
		fig("validate_p99_ms", "", 80, ""),
		fig("validate_errors", "", 0, ""),
		fig("validate_vs_http_floor", "", 0.4, ""),
		fig("validate_vs_db_floor", "", 0.1, ""),
		fig("login_per_s", "postgres", 30, ""),
		fig("kdf_limit_per_s", "postgres", 20, ""),
		fig("login_vs_kdf_limit", "postgres", 1.5, ""),
		fig("login_errors", "postgres", 12, ""),
		fig("server_peak_rss_login_mb", "postgres", 300, ""),
		fig("tui_bytes_per_keystroke", "", 162, ""),
		unmeasured("soak_errors", errors.New("TWOFA_TEST_POSTGRES_DSN not set")),
	}
}

// unmeasured is the named figure carrying err.
func unmeasured(name string, err error) Figure {
	f := fig(name, "", 0, "")
	f.Err = err
	return f
}

func TestAnalysisComesFromTheFigures(t *testing.T) {
	got := analysis(runFigures(), newConfig(false), runInfo{LoadBefore: "1.00 0.50 0.25", LoadAfter: "2.00 1.00 0.50"})
	for _, want := range []string{
		// 1000/s is 1 ms a validation: 0.1 ms the UPDATE, 0.3 ms the HTTP stack, 0.6 ms the work.
		"a validation completed every 1.000 ms",
		"the bare conditional UPDATE accounts for 0.100 ms",
		"for 0.300 ms, and the validation's own work",
		"for 0.600 ms",
		"`validate_vs_http_floor` = 0.4 (goal ≥ 0.5: MISSED)",
		// A ratio above 1 says the floor moved, and the memory bound is explained.
		"**Sign-ins (Postgres).** 30.0/s against 20.0/s",
		"12 failed (goal = 0: MISSED)",
		"Above 1, so the floor itself moved",
		"Peak RSS over the burst: 300 MiB (goal ≤ 150: MISSED)",
		"Missed: `validate_vs_http_floor`, `validate_vs_db_floor`, `login_errors_postgres`, `server_peak_rss_login_mb_postgres`, `tui_bytes_per_keystroke`.",
		"Not measured: `soak_errors`",
		"load average was 1.00 0.50 0.25 before the run and 2.00 1.00 0.50 after",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("analysis lacks %q; got:\n%s", want, got)
		}
	}
	// Topics whose figures were not measured say nothing.
	for _, absent := range []string{"**First frame.**", "**Soak", "**Validations (Postgres)"} {
		if strings.Contains(got, absent) {
			t.Errorf("analysis has %q without its figures", absent)
		}
	}
}

func TestWriteResultsWritesTheWholeFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "RESULTS.md")
	if err := os.WriteFile(path, []byte("hand-written analysis that must not survive\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	began := time.Date(2026, 12, 1, 9, 30, 0, 0, time.UTC)
	if err := writeResults(path, runFigures(), newConfig(false), runInfo{Began: began, Took: time.Minute}); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	got := string(b)
	for _, want := range []string{
		"from one full run on 2026-12-01 09:30 UTC",
		"## Analysis of the run of 2026-12-01 09:30 UTC",
		"| `validate_vs_http_floor` | 0.4 × | ≥ 0.5 | MISSED |",
		"## How each figure is measured",
		"in three rounds, 64 clients",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("RESULTS.md lacks %q", want)
		}
	}
	if strings.Contains(got, "hand-written") {
		t.Error("RESULTS.md kept text from before the run")
	}
	if i := strings.IndexAny(got, "{}"); i >= 0 {
		t.Errorf("RESULTS.md has an unfilled placeholder near %q", got[max(0, i-40):min(len(got), i+40)])
	}
}
