package backupfile

import (
	"os/user"
	"path/filepath"
	"testing"
	"time"
)

func TestDefaultPath(t *testing.T) {
	day := time.Date(2025, 3, 7, 23, 59, 0, 0, time.UTC)
	tests := []struct{ host, user, want string }{
		{"example.com", "alice", "~/twofa-backup-codes-example.com-alice-2025-03-07.txt"},
		{"example.com:8443", "bob smith", "~/twofa-backup-codes-example.com-8443-bob-smith-2025-03-07.txt"},
		{"host/prefix", "../../etc", "~/twofa-backup-codes-host-prefix-etc-2025-03-07.txt"},
		{"", "", "~/twofa-backup-codes-unknown-unknown-2025-03-07.txt"},
	}
	for _, tt := range tests {
		if got := DefaultPath(tt.host, tt.user, day); got != tt.want {
			t.Errorf("DefaultPath(%q, %q) = %q, want %q", tt.host, tt.user, got, tt.want)
		}
	}
}

func TestExpand(t *testing.T) {
	home := t.TempDir()
	t.Setenv("HOME", home)
	tests := []struct {
		in, want string
		wantErr  bool
	}{
		{"~", home, false},
		{"~/codes.txt", filepath.Join(home, "codes.txt"), false},
		{"  ~/a/b.txt  ", filepath.Join(home, "a", "b.txt"), false},
		{"/tmp/codes.txt", "/tmp/codes.txt", false},
		{"rel/codes.txt", "rel/codes.txt", false},
		{"dir/~/x", "dir/~/x", false},
		{"", "", true},
		{"   ", "", true},
		{"~no-such-user-twofa/x", "", true},
	}
	for _, tt := range tests {
		got, err := Expand(tt.in)
		if (err != nil) != tt.wantErr || got != tt.want {
			t.Errorf("Expand(%q) = %q, %v; want %q (error %v)", tt.in, got, err, tt.want, tt.wantErr)
		}
	}
	if u, err := user.Current(); err == nil && u.Username != "" {
		got, err := Expand("~" + u.Username + "/x")
		if err != nil || got != filepath.Join(u.HomeDir, "x") {
			t.Errorf("Expand(~%s/x) = %q, %v; want %q", u.Username, got, err, filepath.Join(u.HomeDir, "x"))
		}
	}
}
