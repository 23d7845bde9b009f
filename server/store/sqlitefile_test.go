//go:build unix

package store

import (
	"context"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

// TestSQLiteFilesPrivate: the database, WAL and shared-memory files are
// 0600 whatever the umask, for a file in a directory of its own choosing
// (not twofa's 0700 data directory), and a legacy 0644 database is
// tightened when it is opened.
func TestSQLiteFilesPrivate(t *testing.T) {
	for _, tt := range []struct {
		name   string
		umask  int
		legacy bool // the files exist with 0644 before Open
	}{
		{"umask 022", 0o022, false},
		{"umask 000", 0o000, false},
		{"legacy 0644 files", 0o022, true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "elsewhere")
			if err := os.Mkdir(dir, 0o755); err != nil {
				t.Fatal(err)
			}
			path := filepath.Join(dir, "twofa.db")
			files := []string{path, path + "-wal", path + "-shm"}
			old := syscall.Umask(tt.umask)
			defer syscall.Umask(old)
			if tt.legacy {
				for _, f := range files {
					if err := os.WriteFile(f, nil, 0o644); err != nil {
						t.Fatal(err)
					}
					if err := os.Chmod(f, 0o644); err != nil {
						t.Fatal(err)
					}
				}
			}
			s, err := Open(context.Background(), "sqlite:"+path)
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			// A write, so the WAL and shared-memory files are in use.
			if _, err := s.Users.Create(context.Background(), s.DB(), "perm", "hash", "user", time.Now()); err != nil {
				t.Fatal(err)
			}
			for _, f := range files {
				fi, err := os.Stat(f)
				if err != nil {
					t.Fatalf("%s: %v", filepath.Base(f), err)
				}
				if fi.Mode().Perm() != 0o600 {
					t.Errorf("%s has mode %#o, want 0600", filepath.Base(f), fi.Mode().Perm())
				}
			}
		})
	}
}
