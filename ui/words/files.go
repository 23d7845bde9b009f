package words

import (
	"fmt"

	"github.com/twofa/twofa/internal/privatefile"
)

// unsafeSentence words a file or directory twofa refused to trust (the
// config file, the --insecure-storage session file, or a directory above
// them): the path, what is wrong, and the command that fixes it.
func unsafeSentence(e *privatefile.UnsafeError) string {
	what := "file"
	if e.Dir {
		what = "directory"
	}
	path := oneLine(e.Path)
	switch e.Problem {
	case privatefile.Symlink:
		return fmt.Sprintf("twofa will not use %s: it is a symbolic link, which could lead to a file someone else controls. Replace the link with the file itself, or delete it.", path)
	case privatefile.OtherOwner:
		fix := "sudo chown YOUR-USER-NAME " + path
		if e.User != "" {
			fix = "sudo chown " + oneLine(e.User) + " " + path
		}
		return fmt.Sprintf("twofa will not use the %s %s: it belongs to another user (user id %d), who could change what twofa reads from it. If it should be yours, run: %s — otherwise move it away.", what, path, e.Owner, fix)
	case privatefile.OpenToOthers:
		others := "other users can read or change it"
		if e.Mode&e.Forbidden&0o044 == 0 {
			others = "other users can change it"
		}
		return fmt.Sprintf("twofa will not use the %s %s: %s (permissions %04o). Run: chmod %o %s", what, path, others, e.Mode, e.Fix(), path)
	}
	return fmt.Sprintf("twofa will not use %s: it should be a directory, but it is a file. Move it away.", path)
}
