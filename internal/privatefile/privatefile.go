// Package privatefile writes files that only their owner may read: created
// exclusively, or replaced atomically through a 0600 temporary file that is
// flushed and then renamed over.
package privatefile

import (
	"fmt"
	"os"
	"path/filepath"
)

// Write replaces path with data, mode 0600 whatever the umask, so a reader
// sees the old file or the new one and never a part. ready, when not nil,
// runs once the data is on disk and before the rename; its error cancels the
// write and is returned as is. No temporary file is left behind on failure.
func Write(path string, data []byte, ready func() error) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+"-*.tmp")
	if err != nil {
		return fmt.Errorf("create temporary file: %w", err)
	}
	name := tmp.Name()
	if err := fill(tmp, data); err != nil {
		_ = os.Remove(name)
		return err
	}
	if ready != nil {
		if err := ready(); err != nil {
			_ = os.Remove(name)
			return err
		}
	}
	if err := os.Rename(name, path); err != nil {
		_ = os.Remove(name)
		return fmt.Errorf("replace file: %w", err)
	}
	return nil
}

// Create writes data to a new file at path, mode 0600 whatever the umask;
// it never follows a symbolic link and fails (wrapping fs.ErrExist) when
// anything is already there. A file it could not fill is removed.
func Create(path string, data []byte) error {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_WRONLY|noFollow, 0o600)
	if err != nil {
		return fmt.Errorf("create file: %w", err)
	}
	if err := fill(f, data); err != nil {
		_ = os.Remove(path)
		return err
	}
	return nil
}

// fill writes data to f, sets mode 0600, flushes it to disk and closes f.
func fill(f *os.File, data []byte) error {
	_, err := f.Write(data)
	if err == nil {
		err = f.Chmod(0o600)
	}
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("write temporary file: %w", err)
	}
	return nil
}
