package backupfile

import (
	"testing"
	"time"

	"github.com/charmbracelet/x/exp/golden"
)

// TestContentGolden pins the file's text: header, numbered codes (raw ones
// shown as XXXXX-XXXXX, others unchanged) and the instructions.
func TestContentGolden(t *testing.T) {
	day := time.Date(2025, 3, 7, 10, 0, 0, 0, time.UTC)
	codes := []string{"ABCDEFGHJK", "mnpqr-stvwx", "0123456789", "Z9Y8X-7W6V5", "a1b2c3d4e5",
		"KMNPQRSTVW", "2345678901", "QRSTVWXYZ0", "ABCDE-12345", "98765zyxwv", "short"}
	golden.RequireEqual(t, Content("https://auth.example.com", "alice", day, codes))
}
