//go:build unix

package privatefile

import "syscall"

// noFollow makes Create refuse a symbolic link at the path.
const noFollow = syscall.O_NOFOLLOW
