//go:build unix

package keyring

import (
	"fmt"
	"io/fs"
	"os"
	"syscall"
)

// checkPrivate refuses a symlink, a path owned by someone else, or one with
// any of the forbidden permission bits, naming the fix.
func checkPrivate(path string, fi fs.FileInfo, forbidden fs.FileMode) error {
	if fi.Mode()&fs.ModeSymlink != 0 {
		return fmt.Errorf("refusing %s: it is a symbolic link", path)
	}
	if st, ok := fi.Sys().(*syscall.Stat_t); ok && int(st.Uid) != os.Getuid() {
		return fmt.Errorf("refusing %s: it belongs to another user", path)
	}
	if fi.Mode().Perm()&forbidden != 0 {
		want := "600"
		if fi.IsDir() {
			want = "700"
		}
		return fmt.Errorf("refusing %s: permissions %04o let others read it; run: chmod %s %s", path, fi.Mode().Perm(), want, path)
	}
	return nil
}
