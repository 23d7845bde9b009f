package e2e

import (
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/twofa/twofa/internal/harness/gobuild"
)

// built is the twofa binary, built once for all the tests of this package.
var built struct {
	once sync.Once
	dir  string
	path string
	err  error
}

// TestMain removes the binary the tests built.
func TestMain(m *testing.M) {
	code := m.Run()
	if built.dir != "" {
		_ = os.RemoveAll(built.dir)
	}
	os.Exit(code)
}

// buildBinary builds the twofa command once (not race-instrumented: the
// test is) and returns its path.
func buildBinary(t *testing.T) string {
	t.Helper()
	built.once.Do(func() {
		root, err := gobuild.ModuleRoot()
		if err != nil {
			built.err = err
			return
		}
		if built.dir, err = os.MkdirTemp("", "twofa-e2e-"); err != nil {
			built.err = err
			return
		}
		built.path = filepath.Join(built.dir, "twofa")
		built.err = gobuild.Build(root, built.path, ".")
	})
	if built.err != nil {
		t.Fatal(built.err)
	}
	return built.path
}
