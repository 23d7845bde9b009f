package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"time"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// privateFiles makes the SQLite database file at path exist with mode 0600
// before SQLite opens it, and tightens an existing one (and its -wal and
// -shm files) that others could read. SQLite creates the WAL and
// shared-memory files with the mode of the database file, so making that
// one private makes all three private, whatever the umask.
func privateFiles(path string) error {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return fmt.Errorf("open database file: %w", err)
	}
	defer f.Close()
	if err := tighten(f.Name(), f.Stat, f.Chmod); err != nil {
		return err
	}
	for _, side := range []string{path + "-wal", path + "-shm"} {
		err := tighten(side, func() (fs.FileInfo, error) { return os.Stat(side) }, func(m fs.FileMode) error { return os.Chmod(side, m) })
		if err != nil && !errors.Is(err, fs.ErrNotExist) {
			return err
		}
	}
	return nil
}

// tighten sets a file that group or others may use to mode 0600.
func tighten(name string, stat func() (fs.FileInfo, error), chmod func(fs.FileMode) error) error {
	fi, err := stat()
	if err != nil {
		return err
	}
	if fi.Mode().Perm()&0o077 == 0 {
		return nil
	}
	if err := chmod(0o600); err != nil {
		return fmt.Errorf("database file %s has mode %#o and cannot be made private (0600): %w", name, fi.Mode().Perm(), err)
	}
	return nil
}

// walWait bounds how long useWAL retries, like the busy timeout of the DSN.
const walWait = 5 * time.Second

// useWAL switches the database to write-ahead logging (persistent in the
// file, so once is enough), retrying while another opener holds the lock.
//
// It cannot be a DSN pragma: on a database still in rollback mode (a new,
// empty file) the switch reads the header in a read transaction and then
// upgrades it to a write transaction to record the new file format, and
// SQLite never runs the busy handler for a read-to-write upgrade (two
// upgraders waiting on each other would deadlock). So busy_timeout does not
// apply, and a second process or goroutine opening the same new file at
// that moment got SQLITE_BUSY at once. The retry here is what the busy
// handler would have done; once the file is in WAL mode the statement only
// reads the header and never waits.
func useWAL(ctx context.Context, db *sql.DB) error {
	deadline := time.Now().Add(walWait)
	pause := time.Millisecond
	for {
		var mode string
		err := db.QueryRowContext(ctx, "PRAGMA journal_mode=WAL").Scan(&mode)
		if err == nil {
			if mode != "wal" {
				return fmt.Errorf("sqlite database: journal mode is %q, want wal", mode)
			}
			return nil
		}
		if !isBusy(err) || time.Now().After(deadline) {
			return fmt.Errorf("switch sqlite database to WAL mode: %w", err)
		}
		// Jitter keeps racing openers from retrying in lockstep.
		t := time.NewTimer(pause/2 + rand.N(pause))
		select {
		case <-ctx.Done():
			t.Stop()
			return fmt.Errorf("switch sqlite database to WAL mode: %w", ctx.Err())
		case <-t.C:
		}
		pause = min(2*pause, 50*time.Millisecond)
	}
}

// isBusy reports whether err is SQLite's SQLITE_BUSY (any extended code).
func isBusy(err error) bool {
	var se *sqlite.Error
	return errors.As(err, &se) && se.Code()&0xff == sqlite3.SQLITE_BUSY
}
