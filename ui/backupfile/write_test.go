package backupfile

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// withUmask0 runs the test with umask 0, so a mode other than 0600 would show.
func withUmask0(t *testing.T) {
	t.Helper()
	old := syscall.Umask(0)
	t.Cleanup(func() { syscall.Umask(old) })
}

func mode(t *testing.T, path string) fs.FileMode {
	t.Helper()
	fi, err := os.Lstat(path)
	if err != nil {
		t.Fatal(err)
	}
	return fi.Mode()
}

// existingFile is a set-up of TestWrite: codes.txt already holding content.
func existingFile(content string) func(t *testing.T, dir string) string {
	return func(t *testing.T, dir string) string {
		p := filepath.Join(dir, "codes.txt")
		writeFile(t, p, content, 0o644)
		return p
	}
}

// symlinkTo is a set-up of TestWrite: link.txt, a symbolic link to name
// in the same directory, a file holding content (none when content is "").
func symlinkTo(name, content string) func(t *testing.T, dir string) string {
	return func(t *testing.T, dir string) string {
		target := filepath.Join(dir, name)
		if content != "" {
			writeFile(t, target, content, 0o644)
		}
		p := filepath.Join(dir, "link.txt")
		if err := os.Symlink(target, p); err != nil {
			t.Fatal(err)
		}
		return p
	}
}

func TestWrite(t *testing.T) {
	withUmask0(t)
	tests := []struct {
		name     string
		setup    func(t *testing.T, dir string) string // returns the path to write
		replace  bool
		wantErr  error  // errors.Is target, nil for success
		wantMsg  string // prefix of the error text
		wantBody string // file content afterwards ("" = not checked)
	}{
		{
			name:     "new file",
			setup:    func(t *testing.T, dir string) string { return filepath.Join(dir, "codes.txt") },
			wantBody: "new",
		},
		{
			name:     "existing file refused",
			setup:    existingFile("old"),
			wantErr:  ErrExists,
			wantMsg:  "file already exists: ",
			wantBody: "old",
		},
		{
			name:     "existing file replaced when asked",
			setup:    existingFile("old content that is longer"),
			replace:  true,
			wantBody: "new",
		},
		{
			name:    "symlink refused",
			setup:   symlinkTo("target", "precious"),
			wantErr: fs.ErrInvalid,
			wantMsg: "refusing to write through a symbolic link: ",
		},
		{
			name:    "symlink refused even with replace",
			setup:   symlinkTo("target", "precious"),
			replace: true,
			wantErr: fs.ErrInvalid,
			wantMsg: "refusing to write through a symbolic link: ",
		},
		{
			name:    "dangling symlink refused",
			setup:   symlinkTo("nowhere", ""),
			wantErr: fs.ErrInvalid,
			wantMsg: "refusing to write through a symbolic link: ",
		},
		{
			name: "directory refused",
			setup: func(t *testing.T, dir string) string {
				p := filepath.Join(dir, "sub")
				if err := os.Mkdir(p, 0o755); err != nil {
					t.Fatal(err)
				}
				return p
			},
			replace: true,
			wantErr: fs.ErrInvalid,
			wantMsg: "is a directory: ",
		},
		{
			name:    "no such directory",
			setup:   func(t *testing.T, dir string) string { return filepath.Join(dir, "missing", "codes.txt") },
			wantErr: fs.ErrNotExist,
			wantMsg: "no such directory: ",
		},
		{
			name: "parent is a file",
			setup: func(t *testing.T, dir string) string {
				p := filepath.Join(dir, "file")
				writeFile(t, p, "x", 0o644)
				return filepath.Join(p, "codes.txt")
			},
			wantErr: syscall.ENOTDIR,
			wantMsg: "not a directory: ",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			path := tt.setup(t, dir)
			err := Write(path, []byte("new"), tt.replace)
			if tt.wantErr == nil {
				if err != nil {
					t.Fatalf("Write: %v", err)
				}
				if m := mode(t, path); m != 0o600 {
					t.Fatalf("mode %v, want -rw-------", m)
				}
			} else {
				if !errors.Is(err, tt.wantErr) {
					t.Fatalf("Write error %v, want errors.Is %v", err, tt.wantErr)
				}
				if !strings.HasPrefix(err.Error(), tt.wantMsg) {
					t.Fatalf("error text %q, want prefix %q", err.Error(), tt.wantMsg)
				}
			}
			if tt.wantBody != "" {
				if got := readFile(t, path); got != tt.wantBody {
					t.Fatalf("file holds %q, want %q", got, tt.wantBody)
				}
			}
			if target := filepath.Join(dir, "target"); fileExists(target) && readFile(t, target) != "precious" {
				t.Fatal("the symlink's target was written")
			}
			assertNoTemp(t, dir)
		})
	}
}

func TestWritePermissionDenied(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Skip("root ignores directory permissions")
	}
	dir := t.TempDir()
	if err := os.Chmod(dir, 0o500); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.Chmod(dir, 0o700) })
	err := Write(filepath.Join(dir, "codes.txt"), []byte("x"), false)
	if !errors.Is(err, fs.ErrPermission) || !strings.HasPrefix(err.Error(), "permission denied: ") {
		t.Fatalf("Write error %v, want permission denied", err)
	}
}

// TestCreateExclusive simulates another process creating the file between
// the check and the create: O_EXCL turns that into ErrExists.
func TestCreateExclusive(t *testing.T) {
	p := filepath.Join(t.TempDir(), "codes.txt")
	writeFile(t, p, "theirs", 0o600)
	if err := create(p, []byte("ours")); !errors.Is(err, ErrExists) {
		t.Fatalf("create over an existing file: %v, want ErrExists", err)
	}
	if got := readFile(t, p); got != "theirs" {
		t.Fatalf("file holds %q, want it untouched", got)
	}
}

func writeFile(t *testing.T, p, s string, m fs.FileMode) {
	t.Helper()
	if err := os.WriteFile(p, []byte(s), m); err != nil {
		t.Fatal(err)
	}
}

func readFile(t *testing.T, p string) string {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func fileExists(p string) bool {
	_, err := os.Lstat(p)
	return err == nil
}

func assertNoTemp(t *testing.T, dir string) {
	t.Helper()
	matches, _ := filepath.Glob(filepath.Join(dir, ".twofa-backup-*"))
	if len(matches) > 0 {
		t.Fatalf("temporary files left behind: %v", matches)
	}
}

// TestExplain covers the reasons that cannot be produced for real here (the
// tests may run as root, which ignores permissions).
func TestExplain(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "codes.txt")
	tests := []struct {
		errno syscall.Errno
		want  string
	}{
		{syscall.EACCES, "permission denied: " + p},
		{syscall.EPERM, "permission denied: " + p},
		{syscall.EROFS, "read-only file system: " + dir},
		{syscall.ENOSPC, "no space left: " + dir},
		{syscall.ELOOP, "refusing to write through a symbolic link: " + p},
		{syscall.ENOENT, "no such file: " + p}, // the directory exists
	}
	for _, tt := range tests {
		err := explain(&fs.PathError{Op: "open", Path: p, Err: tt.errno}, p)
		if err.Error() != tt.want || !errors.Is(err, tt.errno) {
			t.Errorf("explain(%v) = %q, want %q (wrapping the errno)", tt.errno, err, tt.want)
		}
	}
}
