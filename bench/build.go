package main

import (
	"path/filepath"

	"github.com/twofa/twofa/internal/harness/gobuild"
)

// binaries are the programs one run measures, built once into a temp dir so
// no figure includes compile time.
type binaries struct {
	Twofa    string // twofa as released: the TUI, and the soak's servers
	Server   string // twofa built with the benchfloor tag: one more route, the HTTP floor
	Baseline string // a bare Bubble Tea program, the first frame's floor
}

// buildBinaries builds the three programs into dir with `go build`.
func buildBinaries(root, dir string) (binaries, error) {
	b := binaries{
		Twofa:    filepath.Join(dir, "twofa"),
		Server:   filepath.Join(dir, "twofa-benchfloor"),
		Baseline: filepath.Join(dir, "baseline"),
	}
	for _, t := range []struct {
		out, pkg string
		flags    []string
	}{
		{b.Twofa, ".", nil},
		{b.Server, ".", []string{"-tags=benchfloor"}},
		{b.Baseline, "./bench/baseline", nil},
	} {
		if err := gobuild.Build(root, t.out, t.pkg, t.flags...); err != nil {
			return b, err
		}
	}
	return b, nil
}
