package backupfile

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"

	"github.com/twofa/twofa/internal/privatefile"
)

// ErrExists is returned by Write when the file exists and replace is false.
var ErrExists = errors.New("file already exists")

// Error is a short, plain reason a file could not be written
// ("no such directory: /x"); Unwrap gives the underlying error.
type Error struct {
	Reason string // "no such directory", "permission denied", ...
	Path   string // the file or directory concerned
	Err    error  // underlying error, for errors.Is
}

// Error returns "<reason>: <path>".
func (e *Error) Error() string { return e.Reason + ": " + e.Path }

// Unwrap returns the underlying error.
func (e *Error) Unwrap() error { return e.Err }

// Write saves content to path with mode 0600. A new file is created with
// O_EXCL and O_NOFOLLOW, so it is never written through a link or over a
// file that appears meanwhile. An existing regular file gives ErrExists
// unless replace is true; then the content goes to a temporary 0600 file in
// the same directory which is renamed over it. Directories, symbolic links
// and other special files are refused.
func Write(path string, content []byte, replace bool) error {
	if err := checkTarget(path); err != nil {
		if !errors.Is(err, fs.ErrNotExist) {
			return err
		}
		return create(path, content)
	}
	if !replace {
		return &Error{Reason: "file already exists", Path: path, Err: ErrExists}
	}
	return replaceFile(path, content)
}

// checkTarget returns nil for an existing regular file, an error wrapping
// fs.ErrNotExist for a missing one, and a refusal for anything else.
func checkTarget(path string) error {
	fi, err := os.Lstat(path)
	switch {
	case err != nil:
		return explain(err, path)
	case fi.Mode()&fs.ModeSymlink != 0:
		return &Error{Reason: "refusing to write through a symbolic link", Path: path, Err: fs.ErrInvalid}
	case fi.IsDir():
		return &Error{Reason: "is a directory", Path: path, Err: fs.ErrInvalid}
	case !fi.Mode().IsRegular():
		return &Error{Reason: "not a regular file", Path: path, Err: fs.ErrInvalid}
	}
	return nil
}

func create(path string, content []byte) error {
	err := privatefile.Create(path, content)
	switch {
	case err == nil:
		return nil
	case errors.Is(err, fs.ErrExist):
		return &Error{Reason: "file already exists", Path: path, Err: ErrExists}
	}
	return explain(err, path)
}

func replaceFile(path string, content []byte) error {
	err := privatefile.Write(path, content, func() error {
		// The target may have changed while we wrote: look again.
		if err := checkTarget(path); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return err
		}
		return nil
	})
	var explained *Error
	if err == nil || errors.As(err, &explained) {
		return err
	}
	return explain(err, path)
}

// explain turns an operating-system error into a short reason naming the
// file or directory a person should look at.
func explain(err error, path string) error {
	dir := filepath.Dir(path)
	var errno syscall.Errno
	if !errors.As(err, &errno) {
		return &Error{Reason: "cannot write", Path: path, Err: err}
	}
	switch errno {
	case syscall.ENOENT:
		if _, statErr := os.Stat(dir); statErr != nil {
			return &Error{Reason: "no such directory", Path: dir, Err: err}
		}
		return &Error{Reason: "no such file", Path: path, Err: err}
	case syscall.ENOTDIR:
		return &Error{Reason: "not a directory", Path: dir, Err: err}
	case syscall.EACCES, syscall.EPERM:
		return &Error{Reason: "permission denied", Path: path, Err: err}
	case syscall.EROFS:
		return &Error{Reason: "read-only file system", Path: dir, Err: err}
	case syscall.ENOSPC, syscall.EDQUOT:
		return &Error{Reason: "no space left", Path: dir, Err: err}
	case syscall.ELOOP:
		return &Error{Reason: "refusing to write through a symbolic link", Path: path, Err: err}
	case syscall.EISDIR:
		return &Error{Reason: "is a directory", Path: path, Err: err}
	}
	return &Error{Reason: "cannot write (" + errno.Error() + ")", Path: path, Err: err}
}
