// Command bench measures how fast and lean twofa is, each figure next to its
// natural floor measured in the same run: `go run ./bench [--quick]`.
//
// It builds twofa (as released, and with the benchfloor tag that adds the
// HTTP floor's route) and a bare Bubble Tea baseline with `go build`, drives
// the TUI in a pseudo-terminal and `twofa serve` through the real client
// package over loopback, prints the figures as a table, and (without
// --quick) writes bench/RESULTS.md whole from the run.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"time"

	"github.com/twofa/twofa/internal/harness/gobuild"
)

// config holds the sizes of one run; --quick shrinks counts, not figures.
type config struct {
	Quick          bool
	FrameRuns      int           // first-frame runs of each program
	Validations    int           // validations in the validation rounds, per database
	Clients        int           // concurrent clients of every burst and the soak
	Logins         int           // password sign-ins in the login burst
	LoginRounds    int           // rounds the login burst is cut into, a KDF window around each
	KDFWindow      time.Duration // how long each window of the KDF floor hashes
	BcryptScans    int           // wrong-code bcrypt scans (8 compares each)
	BackupAccounts int           // accounts for the backup-code checks
	BackupRounds   int           // rounds of 4 wrong + 1 right code per account
	FloorOps       int           // requests of each floor (the HTTP one in two halves)
	Burst          int           // concurrent wrong codes at one account
	SoakFor        time.Duration // how long the soak runs
	SoakAccounts   int           // accounts per soak client
	PostgresDSN    string
	Only           []string // the parts to run (tui, ssh, sqlite, postgres, soak); nil runs all
}

// runs reports whether the part is to run.
func (c config) runs(part string) bool {
	return c.Only == nil || slices.Contains(c.Only, part)
}

// newConfig returns the run sizes for quick or full runs.
func newConfig(quick bool) config {
	c := config{
		Quick:          quick,
		FrameRuns:      20,
		Validations:    3000,
		Clients:        64,
		Logins:         400,
		LoginRounds:    8,
		KDFWindow:      time.Second,
		BcryptScans:    3,
		BackupAccounts: 64,
		BackupRounds:   5,
		FloorOps:       20000,
		Burst:          200,
		SoakFor:        20 * time.Second,
		SoakAccounts:   8,
		PostgresDSN:    os.Getenv("TWOFA_TEST_POSTGRES_DSN"),
	}
	if quick {
		c.FrameRuns = 10
		c.Validations = 960
		c.Logins = 64
		c.LoginRounds = 4
		c.KDFWindow = 400 * time.Millisecond
		c.BcryptScans = 1
		c.BackupAccounts = 24
		c.BackupRounds = 3
		c.FloorOps = 5000
		c.SoakFor = 5 * time.Second
		c.SoakAccounts = 3
	}
	return c
}

func main() {
	quick := flag.Bool("quick", false, "fewer runs and requests (same figures); does not rewrite RESULTS.md")
	only := flag.String("only", "", "comma-separated parts to run (tui, ssh, sqlite, postgres, soak), for iterating on one; writes results only with -results")
	results := flag.String("results", "", "write the results there (a full run writes bench/RESULTS.md; a --quick run writes only with this flag)")
	flag.Parse()
	cfg := newConfig(*quick)
	if *only != "" {
		cfg.Only = strings.Split(*only, ",")
	}
	if err := run(cfg, *results); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

// run measures every figure, prints them, and writes RESULTS.md on full runs.
func run(cfg config, resultsPath string) error {
	began := time.Now()
	load := loadAvg()
	root, err := gobuild.ModuleRoot()
	if err != nil {
		return err
	}
	if resultsPath == "" && !cfg.Quick && cfg.Only == nil {
		resultsPath = filepath.Join(root, "bench", "RESULTS.md")
	}
	tmp, err := os.MkdirTemp("", "twofa-bench-")
	if err != nil {
		return fmt.Errorf("make temp dir: %w", err)
	}
	defer os.RemoveAll(tmp)

	logf("building twofa, its benchfloor build, the baseline and the store and auth test binaries into %s", tmp)
	bins, err := buildBinaries(root, tmp)
	if err != nil {
		return err
	}
	ctx := context.Background()
	var figs []Figure
	if cfg.runs("tui") {
		figs = append(figs, benchTUI(ctx, cfg, bins, tmp)...)
	}
	if cfg.runs("ssh") {
		figs = append(figs, benchSSH(ctx, bins, tmp)...)
	}
	if cfg.runs("sqlite") {
		figs = append(figs, benchServer(ctx, cfg, bins, tmp, "sqlite")...)
	}
	if cfg.PostgresDSN == "" {
		logf("TWOFA_TEST_POSTGRES_DSN not set: Postgres figures and the soak skipped")
	} else if cfg.runs("postgres") {
		figs = append(figs, benchServer(ctx, cfg, bins, tmp, "postgres")...)
	}
	if cfg.runs("soak") {
		figs = append(figs, benchSoak(ctx, cfg, bins, tmp)...)
	}
	rn := runInfo{Began: began, Took: time.Since(began), LoadBefore: load, LoadAfter: loadAvg()}

	fmt.Println()
	printTable(os.Stdout, figs)
	fmt.Printf("\n%d cores, %s, run took %s\n", runtime.NumCPU(), runtime.Version(), rn.Took.Round(time.Second))
	if resultsPath == "" {
		return nil
	}
	if err := writeResults(resultsPath, figs, cfg, rn); err != nil {
		return err
	}
	logf("wrote %s", resultsPath)
	return nil
}

// started is when the program started, for the progress lines.
var started = time.Now()

// logf prints progress to stderr, with the time since start, so stdout holds
// only the results.
func logf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "bench: %5.1fs "+format+"\n", append([]any{time.Since(started).Seconds()}, args...)...)
}
