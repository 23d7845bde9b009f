package privatefile

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// Problem is why a file or directory cannot be trusted.
type Problem int

// The problems Check and CheckAncestors find.
const (
	// Symlink: a symbolic link where a file of twofa's own must be.
	Symlink Problem = iota + 1
	// OtherOwner: owned by another user, who could change it.
	OtherOwner
	// OpenToOthers: permission bits let others read or write it.
	OpenToOthers
	// NotDir: a file where a directory must be.
	NotDir
)

// UnsafeError is a file or directory twofa refuses to trust: who owns it
// or who may change or read it makes what it holds untrustworthy (a planted
// server address) or exposed (a session token). It names the path and the
// facts a person needs to fix it.
type UnsafeError struct {
	Path    string
	Problem Problem
	Dir     bool
	// Mode is the permission bits found; Forbidden the bits that must be
	// clear (for OpenToOthers). Fix is Mode without them.
	Mode, Forbidden fs.FileMode
	// Owner is the owner's user id, User the name of the user running
	// twofa (for OtherOwner); User is "" when unknown.
	Owner int
	User  string
}

// Fix is the mode the path should have: Mode without the forbidden bits.
func (e *UnsafeError) Fix() fs.FileMode { return e.Mode &^ e.Forbidden }

// Error states the problem; ui/words says it for people, with the fix.
func (e *UnsafeError) Error() string {
	switch e.Problem {
	case Symlink:
		return fmt.Sprintf("refusing %s: it is a symbolic link", e.Path)
	case OtherOwner:
		return fmt.Sprintf("refusing %s: it belongs to user id %d", e.Path, e.Owner)
	case OpenToOthers:
		return fmt.Sprintf("refusing %s: its permissions %04o let others in; chmod %o %s", e.Path, e.Mode, e.Fix(), e.Path)
	}
	return fmt.Sprintf("refusing %s: it is not a directory", e.Path)
}

// Check refuses path, described by fi (from os.Lstat to refuse a symbolic
// link, os.Stat to follow one), when it is a symbolic link, belongs to
// another user than the one running twofa, or has any of the forbidden
// permission bits. It returns an *UnsafeError or nil.
func Check(path string, fi fs.FileInfo, forbidden fs.FileMode) error {
	if fi.Mode()&fs.ModeSymlink != 0 {
		return &UnsafeError{Path: path, Problem: Symlink}
	}
	if uid, ok := owner(fi); ok && uid != os.Getuid() {
		return &UnsafeError{Path: path, Problem: OtherOwner, Dir: fi.IsDir(), Owner: uid, User: userName()}
	}
	if checksModes && fi.Mode().Perm()&forbidden != 0 {
		return &UnsafeError{Path: path, Problem: OpenToOthers, Dir: fi.IsDir(), Mode: fi.Mode().Perm(), Forbidden: forbidden}
	}
	return nil
}

// CheckDir is Check for a directory (following a symbolic link to it):
// nil when dir does not exist, an *UnsafeError (NotDir) for a file.
func CheckDir(dir string, forbidden fs.FileMode) error {
	fi, err := os.Stat(dir)
	switch {
	case os.IsNotExist(err):
		return nil
	case err != nil:
		return err
	case !fi.IsDir():
		return &UnsafeError{Path: dir, Problem: NotDir}
	}
	return Check(dir, fi, forbidden)
}

// CheckAncestors refuses the directories above dir (its real path, with
// symbolic links resolved) that would let another user replace what dir
// holds, as OpenSSH does for ~/.ssh: one that belongs to someone other than
// the user or root, or that anyone may write to without the sticky bit
// (/tmp is fine). Directories that do not exist yet are skipped.
func CheckAncestors(dir string) error {
	real, err := existingReal(dir)
	if err != nil {
		return err
	}
	for p := real; p != filepath.Dir(p); {
		p = filepath.Dir(p)
		fi, err := os.Stat(p)
		if os.IsNotExist(err) {
			continue
		}
		if err != nil {
			return err
		}
		if uid, ok := owner(fi); ok && uid != os.Getuid() && uid != 0 {
			return &UnsafeError{Path: p, Problem: OtherOwner, Dir: true, Owner: uid, User: userName()}
		}
		if checksModes && fi.Mode()&fs.ModeSticky == 0 && fi.Mode().Perm()&0o002 != 0 {
			return &UnsafeError{Path: p, Problem: OpenToOthers, Dir: true, Mode: fi.Mode().Perm(), Forbidden: 0o002}
		}
	}
	return nil
}

// existingReal is the real path of dir, or of its nearest existing
// ancestor joined with the rest, when dir does not exist yet.
func existingReal(dir string) (string, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", err
	}
	var rest []string
	for p := abs; ; p = filepath.Dir(p) {
		real, err := filepath.EvalSymlinks(p)
		if err == nil {
			for i := len(rest) - 1; i >= 0; i-- {
				real = filepath.Join(real, rest[i])
			}
			return real, nil
		}
		if !os.IsNotExist(err) || p == filepath.Dir(p) {
			return "", err
		}
		rest = append(rest, filepath.Base(p))
	}
}
