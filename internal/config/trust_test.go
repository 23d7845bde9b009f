package config

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/twofa/twofa/internal/harness/hostile"
	"github.com/twofa/twofa/internal/privatefile"
)

// nobody is a user id that is not the one running the tests.
const nobody = 65534

// TestLoadRefusesUntrustedFiles: a config file or directory another user
// owns or others may write to, or a directory above them anyone may
// write to without the sticky bit, is refused with the path, and Save
// refuses to write into such a directory (a refused file it replaces with
// one of its own); /tmp (sticky) above is fine.
func TestLoadRefusesUntrustedFiles(t *testing.T) {
	tests := []struct {
		name    string
		setup   func(t *testing.T, root, dir, path string) string // returns the path refused
		problem privatefile.Problem
		owner   bool // needs root to make a file someone else owns
	}{
		{"world-writable file", func(t *testing.T, _, _, path string) string { chmod(t, path, 0o666); return path }, privatefile.OpenToOthers, false},
		{"group-writable file", func(t *testing.T, _, _, path string) string { chmod(t, path, 0o620); return path }, privatefile.OpenToOthers, false},
		{"world-writable directory", func(t *testing.T, _, dir, _ string) string { chmod(t, dir, 0o777); return dir }, privatefile.OpenToOthers, false},
		{"group-writable directory", func(t *testing.T, _, dir, _ string) string { chmod(t, dir, 0o770); return dir }, privatefile.OpenToOthers, false},
		{"world-writable directory above", func(t *testing.T, root, _, _ string) string { chmod(t, root, 0o777); return root }, privatefile.OpenToOthers, false},
		{"file of another user", func(t *testing.T, _, _, path string) string { chown(t, path); return path }, privatefile.OtherOwner, true},
		{"directory of another user", func(t *testing.T, _, dir, _ string) string { chown(t, dir); return dir }, privatefile.OtherOwner, true},
		{"directory above of another user", func(t *testing.T, root, _, _ string) string { chown(t, root); return root }, privatefile.OtherOwner, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.owner && os.Getuid() != 0 {
				t.Skip("only root can give a file to another user here")
			}
			root := filepath.Join(t.TempDir(), "home")
			dir := filepath.Join(root, ".config", "twofa")
			path := filepath.Join(dir, "config.json")
			c := &Config{}
			c.RememberUser("https://a.example", "alice")
			if err := c.Save(path); err != nil {
				t.Fatal(err)
			}
			refused := tt.setup(t, root, dir, path)
			_, err := Load(path)
			var unsafe *privatefile.UnsafeError
			if !errors.As(err, &unsafe) || unsafe.Problem != tt.problem || unsafe.Path != refused {
				t.Fatalf("Load = %v, want %s refused (problem %d)", err, refused, tt.problem)
			}
			// Save refuses a directory; a file it replaces by one of its own.
			err = c.Save(path)
			if refused != path && !errors.As(err, &unsafe) {
				t.Fatalf("Save = %v, want a refusal", err)
			}
			if refused == path {
				if _, lerr := Load(path); err != nil || lerr != nil {
					t.Fatalf("Save over a refused file: %v, then Load: %v", err, lerr)
				}
			}
		})
	}
	// The sticky /tmp above (t.TempDir) and a symlinked directory on the
	// way are fine.
	root := t.TempDir()
	real := filepath.Join(root, "real")
	if err := os.MkdirAll(filepath.Join(real, "twofa"), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(real, filepath.Join(root, "link")); err != nil {
		t.Fatal(err)
	}
	if _, err := Load(filepath.Join(root, "link", "twofa", "config.json")); err != nil {
		t.Fatalf("Load through a symlinked directory below /tmp: %v", err)
	}
}

// TestLoadCleansValues: what the file holds is cleaned like server text.
func TestLoadCleansValues(t *testing.T) {
	path := filepath.Join(t.TempDir(), "twofa", "config.json")
	c := &Config{Server: "https://a.example" + hostile.Sequences[0].Bytes}
	c.RememberUser("https://a.example", hostile.Text("alice"))
	c.Server = "https://a.example\x1b]0;x\x07"
	if err := c.Save(path); err != nil {
		t.Fatal(err)
	}
	got, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if got.Server != "https://a.example" || strings.ContainsAny(got.LastUser["https://a.example"], "\x1b\x07") ||
		len(hostile.Leaks([]byte(got.LastUser["https://a.example"]))) > 0 {
		t.Fatalf("loaded %q, %q", got.Server, got.LastUser)
	}
	if err := os.WriteFile(path, []byte(`{"server":"`+strings.Repeat("a", 3000)+`"}`), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := Load(path); err == nil || !strings.Contains(err.Error(), path) {
		t.Fatalf("an over-long server: %v", err)
	}
}

func chmod(t *testing.T, p string, m os.FileMode) {
	t.Helper()
	if err := os.Chmod(p, m); err != nil {
		t.Fatal(err)
	}
}

func chown(t *testing.T, p string) {
	t.Helper()
	if err := os.Chown(p, nobody, nobody); err != nil {
		t.Fatal(err)
	}
}
