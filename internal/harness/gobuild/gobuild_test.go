package gobuild

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestBuild(t *testing.T) {
	root, err := ModuleRoot()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(root, "go.mod")); err != nil {
		t.Fatalf("ModuleRoot() = %q has no go.mod: %v", root, err)
	}
	tests := []struct {
		name    string
		pkg     string
		wantErr string
	}{
		{"a real program", "./bench/baseline", ""},
		{"no such package", "./no/such/package", "go build ./no/such/package"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "bin")
			err := Build(root, out, tt.pkg)
			if tt.wantErr == "" {
				if err != nil {
					t.Fatal(err)
				}
				if fi, err := os.Stat(out); err != nil || fi.Mode()&0o111 == 0 {
					t.Fatalf("no executable at %s: %v", out, err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("error %v, want one containing %q", err, tt.wantErr)
			}
		})
	}
}
