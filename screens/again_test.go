package screens

import (
	"testing"
	"time"
)

// TestRepeatedRefusalIsNew: a refusal the same as the last one says its
// count, so the error line changes; a different one, or a lockout between
// them, starts the count again.
func TestRepeatedRefusalIsNew(t *testing.T) {
	wrong := codeOutcome{text: "✗ Wrong code. Type the 6 digits your app shows now."}
	reused := codeOutcome{text: "✗ That code was already used."}
	locked := codeOutcome{lockFor: time.Minute}
	steps := []struct {
		out  codeOutcome
		want string
	}{
		{wrong, wrong.text},
		{wrong, wrong.text + " (2nd time)"},
		{wrong, wrong.text + " (3rd time)"},
		{reused, reused.text},
		{wrong, wrong.text},
		{wrong, wrong.text + " (2nd time)"},
		{locked, ""},
		{wrong, wrong.text},
	}
	e := newCodeEntry(testCommon(nil), false)
	for i, s := range steps {
		e.refuse(s.out, testStart)
		if e.err != s.want {
			t.Errorf("refusal %d: error line %q, want %q", i+1, e.err, s.want)
		}
	}
}
