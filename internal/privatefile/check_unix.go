//go:build unix

package privatefile

import (
	"io/fs"
	"os/user"
	"syscall"
)

// checksModes: permission bits mean who may read and write here.
const checksModes = true

// owner is the user id owning fi.
func owner(fi fs.FileInfo) (int, bool) {
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok {
		return 0, false
	}
	return int(st.Uid), true
}

// userName is the name of the user running twofa, or "".
func userName() string {
	u, err := user.Current()
	if err != nil {
		return ""
	}
	return u.Username
}
