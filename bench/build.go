package main

import (
	"path/filepath"

	"github.com/twofa/twofa/internal/harness/gobuild"
)

// binaries are the programs one run measures, built once into a temp dir so
// no figure includes compile time.
type binaries struct {
	Twofa    string
	Baseline string
	TUIOnly  string // diagnostic: the screens without the server linked in
}

// buildBinaries builds twofa, the baseline and the diagnostic TUI-only build into dir with `go build`.
func buildBinaries(root, dir string) (binaries, error) {
	b := binaries{
		Twofa:    filepath.Join(dir, "twofa"),
		Baseline: filepath.Join(dir, "baseline"),
		TUIOnly:  filepath.Join(dir, "tuionly"),
	}
	for _, t := range []struct{ out, pkg string }{
		{b.Twofa, "."},
		{b.Baseline, "./bench/baseline"},
		{b.TUIOnly, "./bench/tuionly"},
	} {
		if err := gobuild.Build(root, t.out, t.pkg); err != nil {
			return b, err
		}
	}
	return b, nil
}
