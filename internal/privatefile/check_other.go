//go:build !unix

package privatefile

import "io/fs"

// checksModes: other systems keep their own ACLs; permission bits say
// nothing about other users there.
const checksModes = false

// owner is unknown without unix ownership.
func owner(fs.FileInfo) (int, bool) { return 0, false }

// userName is not needed where ownership is not checked.
func userName() string { return "" }
