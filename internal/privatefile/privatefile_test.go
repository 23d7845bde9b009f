package privatefile

import (
	"errors"
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

func TestWrite(t *testing.T) {
	errCancel := errors.New("target changed")
	tests := []struct {
		name     string
		existing string // "" = no file before
		ready    func() error
		wantErr  error
		want     string // content after
	}{
		{"new file", "", nil, nil, "new"},
		{"replaces an existing file", "old", nil, nil, "new"},
		{"ready runs before the rename", "old", func() error { return nil }, nil, "new"},
		{"ready cancels the write", "old", func() error { return errCancel }, errCancel, "old"},
	}
	old := syscall.Umask(0)
	defer syscall.Umask(old)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "f.json")
			if tt.existing != "" {
				if err := os.WriteFile(path, []byte(tt.existing), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			err := Write(path, []byte("new"), tt.ready)
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("Write error = %v, want %v", err, tt.wantErr)
			}
			got, err := os.ReadFile(path)
			if err != nil || string(got) != tt.want {
				t.Fatalf("content %q (%v), want %q", got, err, tt.want)
			}
			if tt.wantErr == nil {
				fi, err := os.Stat(path)
				if err != nil || fi.Mode().Perm() != 0o600 {
					t.Fatalf("mode %v (%v), want 0600 with umask 0", fi.Mode().Perm(), err)
				}
			}
			entries, _ := os.ReadDir(dir)
			if len(entries) != 1 {
				t.Fatalf("directory holds %d entries, want only the file (no temporary left)", len(entries))
			}
		})
	}
}

func TestWriteNoSuchDirectory(t *testing.T) {
	err := Write(filepath.Join(t.TempDir(), "missing", "f"), []byte("x"), nil)
	if !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("error %v, want one that wraps os.ErrNotExist", err)
	}
}

func TestCreate(t *testing.T) {
	old := syscall.Umask(0)
	defer syscall.Umask(old)
	dir := t.TempDir()
	target := filepath.Join(dir, "target")
	if err := os.WriteFile(target, []byte("theirs"), 0o644); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "link")
	if err := os.Symlink(filepath.Join(dir, "nowhere"), link); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		path    string
		wantErr error
	}{
		{"new file", filepath.Join(dir, "new"), nil},
		{"existing file", target, os.ErrExist},
		{"dangling symbolic link", link, os.ErrExist},
		{"no such directory", filepath.Join(dir, "missing", "f"), os.ErrNotExist},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := Create(tt.path, []byte("codes"))
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("Create error = %v, want %v", err, tt.wantErr)
			}
			if tt.wantErr != nil {
				return
			}
			fi, err := os.Stat(tt.path)
			if err != nil || fi.Mode().Perm() != 0o600 {
				t.Fatalf("mode %v (%v), want 0600 with umask 0", fi.Mode().Perm(), err)
			}
		})
	}
	if got, _ := os.ReadFile(target); string(got) != "theirs" {
		t.Fatalf("an existing file was changed: %q", got)
	}
	if _, err := os.Lstat(filepath.Join(dir, "nowhere")); !errors.Is(err, os.ErrNotExist) {
		t.Fatal("Create followed a dangling symbolic link")
	}
}
