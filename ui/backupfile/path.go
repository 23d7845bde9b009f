// Package backupfile saves backup codes to a text file safely: created
// exclusively with mode 0600, never through a symbolic link, and an existing
// file only replaced when the caller says so (after asking the user).
package backupfile

import (
	"errors"
	"fmt"
	"os"
	"os/user"
	"path/filepath"
	"strings"
	"time"

	"github.com/twofa/twofa/ui/words"
)

// DefaultPath suggests where to save the codes:
// "~/twofa-backup-codes-<host>-<user>-<YYYY-MM-DD>.txt". Characters that do
// not belong in a file name (":" of a port, "/", spaces) become "-".
func DefaultPath(host, user string, day time.Time) string {
	return "~/twofa-backup-codes-" + safe(host) + "-" + safe(user) + "-" + words.Day(day) + ".txt"
}

// safe keeps letters, digits, '.', '_' and '-' and turns runs of anything
// else into one '-'.
func safe(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range s {
		ok := r == '.' || r == '_' || r == '-' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z'
		switch {
		case ok:
			b.WriteRune(r)
			dash = false
		case !dash:
			b.WriteByte('-')
			dash = true
		}
	}
	out := strings.Trim(b.String(), "-.")
	if out == "" {
		return "unknown"
	}
	return out
}

// Expand turns a path as typed into one to open: surrounding spaces are
// dropped, and a leading "~" or "~name" becomes that user's home directory.
func Expand(path string) (string, error) {
	path = strings.TrimSpace(path)
	if path == "" {
		return "", errors.New("no file name given")
	}
	if !strings.HasPrefix(path, "~") {
		return path, nil
	}
	name, rest, _ := strings.Cut(path[1:], "/")
	var home string
	if name == "" {
		h, err := os.UserHomeDir()
		if err != nil {
			return "", fmt.Errorf("cannot find your home directory: %w", err)
		}
		home = h
	} else {
		u, err := user.Lookup(name)
		if err != nil {
			return "", fmt.Errorf("no such user: %s: %w", name, err)
		}
		home = u.HomeDir
	}
	return filepath.Join(home, rest), nil
}
