//go:build !unix

package privatefile

// noFollow is zero where the system has no O_NOFOLLOW; O_EXCL still
// refuses any existing path there, a symbolic link included.
const noFollow = 0
