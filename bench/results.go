package main

import (
	"bufio"
	"fmt"
	"os"
	"runtime"
	"strings"
	"time"
)

// keepMarker starts the hand-written part of RESULTS.md, which a rewrite keeps.
const keepMarker = "<!-- Everything below this line is written by hand and kept by `go run ./bench`. -->"

// writeResults rewrites path with this run's figures, keeping any
// hand-written analysis below keepMarker.
func writeResults(path string, figs []Figure, cfg config, took time.Duration) error {
	kept := ""
	if old, err := os.ReadFile(path); err == nil {
		if i := strings.Index(string(old), keepMarker); i >= 0 {
			kept = string(old[i+len(keepMarker):])
		}
	}
	var b strings.Builder
	b.WriteString("# twofa benchmark results\n\n")
	b.WriteString("Written by `go run ./bench` (a full run, not `--quick`). Each figure is a\n")
	b.WriteString("ratio against a floor measured in the same run, on the same machine.\n\n")
	fmt.Fprintf(&b, "- date: %s\n", time.Now().UTC().Format("2006-01-02 15:04 MST"))
	fmt.Fprintf(&b, "- machine: %d cores (%s), %s, Linux %s\n", runtime.NumCPU(), cpuModel(), runtime.Version(), kernel())
	fmt.Fprintf(&b, "- sizes: %d first-frame runs of each program; %d validations and %d sign-ins at %d concurrent clients; %d accounts × %d rounds of backup codes; %d bcrypt scans; %d floor UPDATEs; a burst of %d wrong codes\n",
		cfg.FrameRuns, cfg.Validations, cfg.Logins, cfg.Clients, cfg.BackupAccounts, cfg.BackupRounds, cfg.BcryptScans, cfg.FloorOps, cfg.Burst)
	if cfg.PostgresDSN == "" {
		b.WriteString("- Postgres: not measured (TWOFA_TEST_POSTGRES_DSN was not set)\n")
	} else {
		b.WriteString("- Postgres: measured on TWOFA_TEST_POSTGRES_DSN (figures suffixed `_postgres`)\n")
	}
	fmt.Fprintf(&b, "- the run took %s\n\n", took.Round(time.Second))
	met, missed, absent := 0, 0, 0
	for _, f := range figs {
		switch f.Verdict() {
		case "met":
			met++
		case "MISSED":
			missed++
		case "not measured":
			absent++
		}
	}
	fmt.Fprintf(&b, "Goals met: %d, missed: %d, not measured: %d.\n\n", met, missed, absent)
	b.WriteString(markdownTable(figs))
	b.WriteString("\n")
	b.WriteString(methodText)
	b.WriteString("\n")
	b.WriteString(keepMarker)
	if kept == "" {
		kept = "\n"
	}
	b.WriteString(kept)
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}

// cpuModel returns the first "model name" of /proc/cpuinfo, or "unknown CPU".
func cpuModel() string {
	f, err := os.Open("/proc/cpuinfo")
	if err != nil {
		return "unknown CPU"
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if k, v, ok := strings.Cut(sc.Text(), ":"); ok && strings.TrimSpace(k) == "model name" {
			return strings.TrimSpace(v)
		}
	}
	return "unknown CPU"
}

// kernel returns the running kernel's release.
func kernel() string {
	b, err := os.ReadFile("/proc/sys/kernel/osrelease")
	if err != nil {
		return "unknown"
	}
	return strings.TrimSpace(string(b))
}
