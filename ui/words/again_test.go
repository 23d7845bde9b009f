package words

import "testing"

// TestAgain: the first time a text is said as it is, later times with their
// ordinal; ordinals follow English (11th, 12th, 13th, 21st, 22nd).
func TestAgain(t *testing.T) {
	cases := []struct {
		text string
		n    int
		want string
	}{
		{"✗ Wrong code.", 1, "✗ Wrong code."},
		{"✗ Wrong code.", 2, "✗ Wrong code. (2nd time)"},
		{"✗ Wrong code.", 3, "✗ Wrong code. (3rd time)"},
		{"✗ Wrong code.", 4, "✗ Wrong code. (4th time)"},
		{"x", 11, "x (11th time)"},
		{"x", 12, "x (12th time)"},
		{"x", 13, "x (13th time)"},
		{"x", 21, "x (21st time)"},
		{"x", 22, "x (22nd time)"},
		{"x", 103, "x (103rd time)"},
		{"", 2, ""},
	}
	for _, c := range cases {
		if got := Again(c.text, c.n); got != c.want {
			t.Errorf("Again(%q, %d) = %q, want %q", c.text, c.n, got, c.want)
		}
	}
}
