// Command bench measures how fast and lean twofa is, each figure next to its
// natural floor measured in the same run: `go run ./bench [--quick]`.
//
// It builds the twofa binary and a bare Bubble Tea baseline with `go build`,
// drives the TUI in a pseudo-terminal and `twofa serve` over loopback HTTP,
// prints one "name: value" line per figure plus a table, and (without
// --quick) rewrites bench/RESULTS.md.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"time"

	"github.com/twofa/twofa/internal/harness/gobuild"
)

// config holds the sizes of one run; --quick shrinks counts, not figures.
type config struct {
	Quick          bool
	FrameRuns      int // first-frame runs of each program
	Validations    int // validations in the validate burst, per database
	Clients        int // concurrent clients for validate and login
	Logins         int // password sign-ins in the login burst
	KDFHashes      int // argon2id hashes timed in the harness
	BcryptScans    int // wrong-code bcrypt scans (8 compares each)
	BackupAccounts int // accounts for the backup-code checks
	BackupRounds   int // rounds of 4 wrong + 1 right code per account
	FloorOps       int // conditional UPDATEs for the database floor
	Burst          int // concurrent wrong codes at one account
	PostgresDSN    string
}

// newConfig returns the run sizes for quick or full runs.
func newConfig(quick bool) config {
	c := config{
		Quick:          quick,
		FrameRuns:      20,
		Validations:    3000,
		Clients:        64,
		Logins:         400,
		KDFHashes:      20,
		BcryptScans:    3,
		BackupAccounts: 64,
		BackupRounds:   5,
		FloorOps:       20000,
		Burst:          200,
		PostgresDSN:    os.Getenv("TWOFA_TEST_POSTGRES_DSN"),
	}
	if quick {
		c.FrameRuns = 10
		c.Validations = 960
		c.Logins = 64
		c.KDFHashes = 8
		c.BcryptScans = 1
		c.BackupAccounts = 24
		c.BackupRounds = 3
		c.FloorOps = 5000
	}
	return c
}

func main() {
	quick := flag.Bool("quick", false, "fewer runs and requests (same figures); does not rewrite RESULTS.md")
	results := flag.String("results", "", "where to write the results (default bench/RESULTS.md; full runs only)")
	profile := flag.String("profile", "", "also write CPU profiles of the validate and sign-in bursts (in-process server) into this directory")
	flag.Parse()
	if err := run(newConfig(*quick), *results, *profile); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

// run measures every figure, prints them, and writes RESULTS.md on full runs.
func run(cfg config, resultsPath, profileDir string) error {
	began := time.Now()
	root, err := gobuild.ModuleRoot()
	if err != nil {
		return err
	}
	if resultsPath == "" {
		resultsPath = filepath.Join(root, "bench", "RESULTS.md")
	}
	tmp, err := os.MkdirTemp("", "twofa-bench-")
	if err != nil {
		return fmt.Errorf("make temp dir: %w", err)
	}
	defer os.RemoveAll(tmp)

	logf("building twofa and the baseline into %s", tmp)
	bins, err := buildBinaries(root, tmp)
	if err != nil {
		return err
	}
	ctx := context.Background()
	r := &report{}
	r.add(benchTUI(ctx, cfg, bins, tmp)...)
	r.add(benchServer(ctx, cfg, bins, tmp, "sqlite")...)
	if cfg.PostgresDSN != "" {
		r.add(benchServer(ctx, cfg, bins, tmp, "postgres")...)
	} else {
		logf("TWOFA_TEST_POSTGRES_DSN not set: Postgres figures skipped")
	}
	if profileDir != "" {
		if err := writeProfiles(ctx, cfg, profileDir); err != nil {
			logf("profiles: %v", err)
		}
	}
	elapsed := time.Since(began)

	fmt.Println()
	printLines(os.Stdout, r.figs)
	fmt.Println()
	printTable(os.Stdout, r.figs)
	fmt.Printf("\n%d cores, %s, run took %s\n", runtime.NumCPU(), runtime.Version(), elapsed.Round(time.Second))
	if cfg.Quick {
		return nil
	}
	if err := writeResults(resultsPath, r.figs, cfg, elapsed); err != nil {
		return err
	}
	logf("wrote %s", resultsPath)
	return nil
}

// report collects figures in the order they were measured.
type report struct{ figs []Figure }

// add appends figures.
func (r *report) add(fs ...Figure) { r.figs = append(r.figs, fs...) }

// logf prints progress to stderr, so stdout holds only the results.
func logf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "bench: "+format+"\n", args...)
}
