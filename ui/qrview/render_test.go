package qrview

import (
	"testing"

	"github.com/muesli/termenv"
)

func cached() int {
	cacheMu.Lock()
	defer cacheMu.Unlock()
	return len(cache)
}

func TestRenderCache(t *testing.T) {
	Purge()
	t.Cleanup(Purge)
	steps := []struct {
		quiet    int
		inverted bool
		profile  termenv.Profile
		want     int // cache entries afterwards
	}{
		{1, false, termenv.Ascii, 1},
		{1, false, termenv.Ascii, 1}, // same key: served from the cache
		{1, true, termenv.Ascii, 2},  // other polarity
		{2, false, termenv.Ascii, 3}, // other quiet zone
		{2, false, termenv.TrueColor, 4},
		{0, false, termenv.Ascii, 4}, // quiet zone 0 means 1: already cached
	}
	first := map[int]string{}
	for i, s := range steps {
		out, err := render(typicalURI, s.quiet, s.inverted, s.profile)
		if err != nil {
			t.Fatalf("step %d: %v", i, err)
		}
		if n := cached(); n != s.want {
			t.Fatalf("step %d: %d cached renders, want %d", i, n, s.want)
		}
		if i == 0 {
			first[0] = out
		}
	}
	// A cached render is the same text as a fresh one.
	Purge()
	if cached() != 0 {
		t.Fatal("Purge left renders in the cache")
	}
	fresh, _ := render(typicalURI, 1, false, termenv.Ascii)
	if fresh != first[0] {
		t.Fatal("fresh render differs from the cached one")
	}
}

func TestRenderCacheBounded(t *testing.T) {
	Purge()
	t.Cleanup(Purge)
	for i := range 3 * maxCached {
		uri := typicalURI + "&n=" + string(rune('a'+i%26)) + string(rune('a'+i/26))
		if _, err := render(uri, 1, false, termenv.Ascii); err != nil {
			t.Fatal(err)
		}
		if n := cached(); n > maxCached {
			t.Fatalf("%d cached renders, limit %d", n, maxCached)
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
