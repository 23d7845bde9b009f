package backupfile

import (
	"os"
	"testing"
	"time"
)

// TestMain pins the local zone the file's "Created:" time is shown in.
func TestMain(m *testing.M) {
	time.Local = time.UTC
	os.Exit(m.Run())
}
