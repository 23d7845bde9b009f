// Package gobuild builds this module's programs with the go command, for the
// harnesses (bench, e2e) that run the real binaries.
package gobuild

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// ModuleRoot returns the directory holding the go.mod of the current directory.
func ModuleRoot() (string, error) {
	out, err := exec.Command("go", "env", "GOMOD").Output()
	if err != nil {
		return "", fmt.Errorf("go env GOMOD: %w", err)
	}
	mod := strings.TrimSpace(string(out))
	if mod == "" || mod == os.DevNull {
		return "", fmt.Errorf("not inside the twofa module: run from the repository")
	}
	return filepath.Dir(mod), nil
}

// Build runs `go build [flags] -o out pkg` in root (flags such as
// "-tags=benchfloor"); the error carries the compiler's output.
func Build(root, out, pkg string, flags ...string) error {
	return goTool(root, append(append([]string{"build"}, flags...), "-o", out, pkg), pkg)
}

// BuildTest runs `go test -c -o out pkg` in root: pkg's test binary, whose
// benchmarks then run without compiling anything.
func BuildTest(root, out, pkg string) error {
	return goTool(root, []string{"test", "-c", "-o", out, pkg}, pkg)
}

// goTool runs the go command with args in root; the error names the command
// and carries its output.
func goTool(root string, args []string, pkg string) error {
	cmd := exec.Command("go", args...)
	cmd.Dir = root
	if msg, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("go %s %s: %w\n%s", args[0], pkg, err, msg)
	}
	return nil
}
