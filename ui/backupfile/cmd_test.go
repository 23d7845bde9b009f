package backupfile

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// TestSaveCmd walks the flow the screen runs: save, find the file exists,
// ask, save again with replace.
func TestSaveCmd(t *testing.T) {
	home := t.TempDir()
	t.Setenv("HOME", home)
	want := filepath.Join(home, "codes.txt")

	msg := SaveCmd("~/codes.txt", []byte("one"), false)().(SavedMsg)
	if msg.Err != nil || msg.Path != want {
		t.Fatalf("first save = %+v, want Path %q", msg, want)
	}
	msg = SaveCmd("~/codes.txt", []byte("two"), false)().(SavedMsg)
	if !errors.Is(msg.Err, ErrExists) || msg.Path != want {
		t.Fatalf("second save = %+v, want ErrExists at %q", msg, want)
	}
	msg = SaveCmd("~/codes.txt", []byte("two"), true)().(SavedMsg)
	if msg.Err != nil {
		t.Fatalf("replace = %+v", msg)
	}
	if b, _ := os.ReadFile(want); string(b) != "two" {
		t.Fatalf("file holds %q, want %q", b, "two")
	}
	if msg := SaveCmd("  ", []byte("x"), false)().(SavedMsg); msg.Err == nil {
		t.Fatal("empty path accepted")
	}
}
