package server_test

import (
	"context"
	"strings"
	"testing"

	"github.com/twofa/twofa/server"
)

// TestValidateUsername: names that print as what they are pass; controls,
// format and bidirectional characters, separators, private-use and
// unassigned code points and broken UTF-8 are refused, on every backend's
// CreateUser and without a row being written.
func TestValidateUsername(t *testing.T) {
	good := []string{"alice", "José", "李雷", "o'brien", "a b", `corp\alice`, "user@example.com", "ß-😀"}
	bad := map[string]string{
		"right-to-left override": "evil\u202egnp.exe",
		"zero width space":       "ad\u200bmin",
		"C1 CSI":                 "x\u009b2J",
		"escape":                 "x\x1b[2J",
		"bell":                   "x\a",
		"tab":                    "a\tb",
		"newline":                "a\nb",
		"DEL":                    "a\x7fb",
		"left-to-right isolate":  "a\u2066b",
		"pop directional":        "a\u202cb",
		"Arabic letter mark":     "a\u061cb",
		"left-to-right mark":     "a\u200eb",
		"byte order mark":        "\ufeffalice",
		"line separator":         "a\u2028b",
		"private use":            "a\ue000b",
		"unassigned":             "a\u0378b",
		"invalid UTF-8":          "a\xffb",
		"leading space":          " alice",
		"trailing no-break":      "alice\u00a0",
		"empty":                  "",
		"too long":               strings.Repeat("a", server.MaxUsernameBytes+1),
	}
	for _, name := range good {
		if err := server.ValidateUsername(name); err != nil {
			t.Errorf("%q refused: %v", name, err)
		}
	}
	for what, name := range bad {
		if err := server.ValidateUsername(name); err == nil {
			t.Errorf("%s (%q) accepted", what, name)
		}
	}
	forEachEnv(t, func(t *testing.T, e *env) {
		for what, name := range bad {
			if _, err := e.srv.CreateUser(context.Background(), name, "a long password", "user"); err == nil {
				t.Errorf("CreateUser accepted %s", what)
			}
		}
		var n int
		if err := e.srv.Store().DB().QueryRowContext(context.Background(), "SELECT COUNT(*) FROM users").Scan(&n); err != nil || n != 0 {
			t.Errorf("%d users written (%v), want none", n, err)
		}
	})
}
