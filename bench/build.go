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
	// StoreBench and AuthBench are the test binaries of server/store and
	// server/auth, whose benchmarks give the database floor and the bcrypt scan.
	StoreBench, AuthBench testBinary
}

// testBinary is a package's test binary and the package's directory, where
// `go test` would run it.
type testBinary struct {
	Path, Dir string
}

// buildBinaries builds the three programs into dir with `go build` and the
// two test binaries with `go test -c`.
func buildBinaries(root, dir string) (binaries, error) {
	b := binaries{
		Twofa:      filepath.Join(dir, "twofa"),
		Server:     filepath.Join(dir, "twofa-benchfloor"),
		Baseline:   filepath.Join(dir, "baseline"),
		StoreBench: testBinary{filepath.Join(dir, "store.test"), filepath.Join(root, "server", "store")},
		AuthBench:  testBinary{filepath.Join(dir, "auth.test"), filepath.Join(root, "server", "auth")},
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
	for _, t := range []testBinary{b.StoreBench, b.AuthBench} {
		if err := gobuild.BuildTest(root, t.Path, t.Dir); err != nil {
			return b, err
		}
	}
	return b, nil
}
