package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// binaries are the programs one run measures, built once into a temp dir so
// no figure includes compile time.
type binaries struct {
	Twofa    string
	Baseline string
	TUIOnly  string // diagnostic: the screens without the server linked in
}

// moduleRoot returns the directory holding go.mod for the current directory.
func moduleRoot() (string, error) {
	out, err := exec.Command("go", "env", "GOMOD").Output()
	if err != nil {
		return "", fmt.Errorf("go env GOMOD: %w", err)
	}
	mod := strings.TrimSpace(string(out))
	if mod == "" || mod == os.DevNull {
		return "", fmt.Errorf("not inside the twofa module: run go run ./bench from the repository root")
	}
	return filepath.Dir(mod), nil
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
		cmd := exec.Command("go", "build", "-o", t.out, t.pkg)
		cmd.Dir = root
		if out, err := cmd.CombinedOutput(); err != nil {
			return b, fmt.Errorf("go build %s: %w\n%s", t.pkg, err, out)
		}
	}
	return b, nil
}
