package vtterm

import (
	"encoding/base64"
	"testing"
)

// TestClipboardWrites: OSC 52 writes end with BEL or ST, may be split
// anywhere across reads, and the last one wins; other output and broken
// payloads change nothing.
func TestClipboardWrites(t *testing.T) {
	seq := func(text, end string) string {
		return "\x1b]52;c;" + base64.StdEncoding.EncodeToString([]byte(text)) + end
	}
	whole := "frame" + seq("first\n", "\a") + "more" + seq("second", "\x1b\\") + "\x1b[0m"
	for cut := 0; cut <= len(whole); cut++ {
		var c clipboard
		c.feed([]byte(whole[:cut]))
		c.feed([]byte(whole[cut:]))
		if c.text != "second" || c.writes != 2 {
			t.Fatalf("cut at %d: clipboard %q after %d writes, want \"second\" after 2", cut, c.text, c.writes)
		}
	}
	var c clipboard
	c.feed([]byte("\x1b]52;c;!!!not base64\a\x1b]52;c;"))
	if c.writes != 0 || c.text != "" {
		t.Fatalf("broken payload kept: %q (%d)", c.text, c.writes)
	}
}
