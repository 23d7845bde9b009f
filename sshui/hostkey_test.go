package sshui

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestHostKey: the first start creates the key 0600 in a 0700 directory
// and says so; the next start reads the same key; a key others may read,
// a symbolic link and a file that is no key are refused with the reason.
func TestHostKey(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data", "twofa")
	path := filepath.Join(dir, HostKeyName)
	first, err := LoadHostKey(path)
	if err != nil {
		t.Fatal(err)
	}
	if !first.Created || !strings.HasPrefix(first.Fingerprint(), "SHA256:") {
		t.Fatalf("first start: created %v, fingerprint %q", first.Created, first.Fingerprint())
	}
	for p, want := range map[string]os.FileMode{path: 0o600, dir: 0o700} {
		if info, err := os.Stat(p); err != nil || info.Mode().Perm() != want {
			t.Fatalf("%s: mode %v (%v), want %04o", p, info.Mode().Perm(), err, want)
		}
	}
	again, err := LoadHostKey(path)
	if err != nil || again.Created || again.Fingerprint() != first.Fingerprint() {
		t.Fatalf("second start: created %v, %q (%v), want the same key %q", again.Created, again.Fingerprint(), err, first.Fingerprint())
	}

	if err := os.Chmod(path, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadHostKey(path); err == nil || !strings.Contains(err.Error(), "permissions 0644") || !strings.Contains(err.Error(), "chmod 600") {
		t.Fatalf("group/world-readable key: %v", err)
	}
	_ = os.Chmod(path, 0o600)

	link := filepath.Join(dir, "link")
	if err := os.Symlink(path, link); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadHostKey(link); err == nil || !strings.Contains(err.Error(), "symbolic link") {
		t.Fatalf("symlinked key: %v", err)
	}
	junk := filepath.Join(dir, "junk")
	if err := os.WriteFile(junk, []byte("not a key"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadHostKey(junk); err == nil {
		t.Fatal("a file that is no key was taken as the host key")
	}
}
