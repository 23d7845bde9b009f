//go:build unix

package app

import (
	"context"
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/twofa/twofa/server/store"
)

// TestAdminDatabaseFilesPrivate: with umask 022 and --db pointing outside
// the default data directory (into a directory that is 0755), the SQLite
// database `twofa admin` creates is 0600, and so are its WAL and
// shared-memory files while a server has it open.
func TestAdminDatabaseFilesPrivate(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "srv")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "accounts.db")
	old := syscall.Umask(0o022)
	defer syscall.Umask(old)
	env := map[string]string{"USER": "tester", "HOME": t.TempDir()}
	if _, err := adminRun(t, env, "a long password\n", "--db", "sqlite:"+path, "create-user", "alice", "--password-stdin"); err != nil {
		t.Fatal(err)
	}
	// SQLite removes the WAL and -shm when the last connection closes, so
	// look at them while a connection holds the database open.
	st, err := store.Open(context.Background(), "sqlite:"+path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if _, err := st.DB().ExecContext(context.Background(), "UPDATE users SET role = role"); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{path, path + "-wal", path + "-shm"} {
		fi, err := os.Stat(f)
		if err != nil {
			t.Fatal(err)
		}
		if fi.Mode().Perm() != 0o600 {
			t.Errorf("%s has mode %#o, want 0600", filepath.Base(f), fi.Mode().Perm())
		}
	}
}
