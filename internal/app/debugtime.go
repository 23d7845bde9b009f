package app

import (
	"bytes"
	"io"
	"sync"
	"time"
)

// timedLines writes to w with the UTC time (RFC 3339, milliseconds) at the
// start of every line, for the --debug log.
type timedLines struct {
	mu    sync.Mutex
	w     io.Writer
	now   func() time.Time
	midLn bool // the last write ended inside a line
}

// Write prefixes each line that starts in p with the time of this write.
func (t *timedLines) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	stamp := []byte(t.now().UTC().Format("2006-01-02T15:04:05.000Z07:00") + " ")
	var b bytes.Buffer
	for rest := p; len(rest) > 0; {
		if !t.midLn {
			b.Write(stamp)
		}
		line := rest
		if i := bytes.IndexByte(rest, '\n'); i >= 0 {
			line = rest[:i+1]
		}
		b.Write(line)
		t.midLn = line[len(line)-1] != '\n'
		rest = rest[len(line):]
	}
	if _, err := t.w.Write(b.Bytes()); err != nil {
		return 0, err
	}
	return len(p), nil
}
