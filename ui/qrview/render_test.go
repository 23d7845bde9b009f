package qrview

import (
	"testing"

	"github.com/muesli/termenv"
)

// TestModelCache: a model draws each (quiet zone, polarity) once and keeps
// the drawing to itself; copies share it, Purge empties it, and a cached
// drawing is the same text as a fresh one.
func TestModelCache(t *testing.T) {
	m := New(typicalURI, true, termenv.Ascii)
	other := New(typicalURI, true, termenv.Ascii)
	steps := []struct {
		w, h   int
		invert bool
		want   int // drawings cached afterwards
	}{
		{43, 22, false, 1},
		{43, 22, false, 1}, // same drawing: from the cache
		{80, 24, false, 2}, // quiet zone 2
		{80, 24, true, 3},  // other polarity
		{44, 22, true, 4},  // quiet zone 1, inverted
		{10, 10, false, 4}, // does not fit: nothing drawn
	}
	for i, st := range steps {
		v := m.SetSize(st.w, st.h)
		if st.invert {
			v = v.Invert()
		}
		_ = v.View()
		if n := m.Cached(); n != st.want {
			t.Fatalf("step %d: %d cached drawings, want %d", i, n, st.want)
		}
	}
	if other.Cached() != 0 {
		t.Fatal("another model of the same URI shares the cache")
	}
	cached := m.SetSize(43, 22).View()
	fresh, err := Render(typicalURI, 1, false, termenv.Ascii)
	if err != nil || fresh != cached {
		t.Fatalf("a cached drawing differs from a fresh one (%v)", err)
	}
	m.Purge()
	if m.Cached() != 0 {
		t.Fatal("Purge left drawings in the cache")
	}
	if (Model{}).Cached() != 0 {
		t.Fatal("the zero Model reports drawings")
	}
	(Model{}).Purge() // no cache: nothing to do, no panic
}

func TestRenderCacheBounded(t *testing.T) {
	var r renders
	for i := range 3 * maxCached {
		r.put(renderKey{quiet: i}, "x")
		if n := r.len(); n > maxCached {
			t.Fatalf("%d cached drawings, limit %d", n, maxCached)
		}
	}
}

func TestGroupKey(t *testing.T) {
	tests := []struct{ in, want string }{
		{"JBSWY3DPEHPK3PXP", "JBSW Y3DP EHPK 3PXP"},
		{"jbswy3dpehpk3pxpjbswy3dpehpk3pxp", "JBSW Y3DP EHPK 3PXP JBSW Y3DP EHPK 3PXP"},
		{"JBS WY3 DP", "JBSW Y3DP"},
		{"ABCDEFG", "ABCD EFG"},
		{"GEZDGNBV====", "GEZD GNBV"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := GroupKey(tt.in); got != tt.want {
			t.Errorf("GroupKey(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
