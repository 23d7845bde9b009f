package app

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/twofa/twofa/internal/config"
)

// TestCommandsRefuseUntrustedConfig: twofa status and twofa logout refuse
// a config file others may change — it names the server a password goes
// to — and say where it is and the command that fixes it; nothing is sent.
func TestCommandsRefuseUntrustedConfig(t *testing.T) {
	for _, cmd := range []string{"status", "logout"} {
		f, out, _ := testFactory(t, nil)
		path := config.PathFrom(f.Getenv)
		if err := (&config.Config{Server: "https://planted.example"}).Save(path); err != nil {
			t.Fatal(err)
		}
		for _, tt := range []struct {
			path string
			mode os.FileMode
			fix  string
		}{
			{path, 0o666, "Run: chmod 644 " + path},
			{filepath.Dir(path), 0o757, "Run: chmod 755 " + filepath.Dir(path)},
		} {
			if err := os.Chmod(tt.path, tt.mode); err != nil {
				t.Fatal(err)
			}
			err := runCmd(t, f, cmd)
			if exitCode(err) != 1 || !strings.Contains(err.Error(), "twofa will not use") || !strings.Contains(err.Error(), tt.fix) {
				t.Fatalf("%s with %s at %04o: %v (exit %d)", cmd, tt.path, tt.mode, err, exitCode(err))
			}
			if out.Len() != 0 {
				t.Fatalf("%s printed %q before refusing", cmd, out)
			}
			_ = os.Chmod(tt.path, map[bool]os.FileMode{true: 0o600, false: 0o700}[tt.path == path])
		}
	}
}
