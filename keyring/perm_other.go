//go:build !unix

package keyring

import (
	"fmt"
	"io/fs"
)

// checkPrivate refuses a symlink; other systems keep their own ACLs.
func checkPrivate(path string, fi fs.FileInfo, _ fs.FileMode) error {
	if fi.Mode()&fs.ModeSymlink != 0 {
		return fmt.Errorf("refusing %s: it is a symbolic link", path)
	}
	return nil
}
