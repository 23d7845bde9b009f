package textfield

import "testing"

// TestElide: a long path keeps its start and its file name, and fits.
func TestElide(t *testing.T) {
	tests := []struct {
		v    string
		w    int
		want string
	}{
		{"~/twofa-backup-codes-127.0.0.1-alice-2030-01-02.txt", 44, "~/twofa-backup…27.0.0.1-alice-2030-01-02.txt"},
		{"/tmp/a/b/c/codes.txt", 12, "/tmp…des.txt"},
	}
	for _, tc := range tests {
		if got := elide(tc.v, tc.w); got != tc.want {
			t.Errorf("elide(%q, %d) = %q, want %q", tc.v, tc.w, got, tc.want)
		}
	}
}
