package safetext_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/twofa/twofa/internal/harness/hostile"
	"github.com/twofa/twofa/internal/safetext"
)

func TestLine(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"plain", "alice", "alice"},
		{"unicode kept", "Zoë 山田 — ok ✓ 👩\u200d💻", "Zoë 山田 — ok ✓ 👩\u200d💻"},
		{"title BEL", "a\x1b]0;PWNED\x07b", "ab"},
		{"title ST", "a\x1b]2;PWNED\x1b\\b", "ab"},
		{"clipboard", "a\x1b]52;c;Y3VybA==\x07b", "ab"},
		{"clear", "a\x1b[2Jb", "ab"},
		{"colour", "a\x1b[1;31mred\x1b[0mb", "aredb"},
		{"private mode", "a\x1b[?1049hb", "ab"},
		{"link", "a\x1b]8;;https://evil.example/\x1b\\here\x1b]8;;\x1b\\b", "ahereb"},
		{"cursor query", "a\x1b[6nb", "ab"},
		{"DCS query", "a\x1bP$q\"p\x1b\\b", "ab"},
		{"APC", "a\x1b_payload\x1b\\b", "ab"},
		{"two-char escapes", "a\x1bcb\x1b7c\x1b(Bd", "abcd"},
		{"lone ESC at end", "ab\x1b", "ab"},
		{"unterminated OSC swallows the rest", "ab\x1b]0;PWNED and more", "ab"},
		{"ESC inside OSC starts anew", "a\x1b]0;x\x1b[2Jb", "ab"},
		{"CAN cancels CSI", "a\x1b[12\x18b", "ab"},
		{"C1 CSI", "a\u009b6nb", "ab"},
		{"C1 OSC", "a\u009d0;PWNED\u009cb", "ab"},
		{"C1 DCS", "a\u0090$q\"p\u009cb", "ab"},
		{"raw 8-bit CSI byte", "a\x9b6nb", "a6nb"},
		{"other C1", "a\u0085\u0084b", "a b"},
		{"C0", "a\x00\x07\x08b", "ab"},
		{"DEL", "a\x7fb", "ab"},
		{"bidi override", "a\u202etxt.exe\u202c", "atxt.exe"},
		{"bidi isolates and marks", "\u2066a\u2069\u200e\u200f\u061cb", "ab"},
		{"zero width", "a\u200bb\ufeff", "ab"},
		{"whitespace collapsed", "  a \t\n\r b\u2028c  ", "a b c"},
		{"invalid UTF-8", "a\xffb", "ab"},
	}
	for _, tt := range tests {
		if got := safetext.Line(tt.in); got != tt.want {
			t.Errorf("%s: Line(%q) = %q, want %q", tt.name, tt.in, got, tt.want)
		}
		if !safetext.IsLine(tt.want) {
			t.Errorf("%s: IsLine(%q) = false", tt.name, tt.want)
		}
	}
}

// TestLineCleansEverySequence: each of the hostile sequences, alone and
// all together, leaves only its marker and visible text behind.
func TestLineCleansEverySequence(t *testing.T) {
	for _, s := range hostile.Sequences {
		got := safetext.Line("x" + s.Bytes + "y")
		if leaks := hostile.Leaks([]byte(got)); len(leaks) > 0 || strings.ContainsAny(got, "\x1b\x07\n\r\x08") {
			t.Errorf("%s: Line = %q (leaks %v)", s.Name, got, leaks)
		}
		if !strings.HasPrefix(got, "x") || !strings.HasSuffix(got, "y") {
			t.Errorf("%s: Line = %q lost the text around it", s.Name, got)
		}
	}
	all := safetext.Line(hostile.Text("alice"))
	if leaks := hostile.Leaks([]byte(all)); len(leaks) > 0 {
		t.Fatalf("Line(hostile.Text) leaks %v: %q", leaks, all)
	}
	for _, m := range hostile.Markers() {
		if !strings.Contains(all, m) {
			t.Errorf("Line(hostile.Text) lost the text marker %s: %q", m, all)
		}
	}
}

func TestText(t *testing.T) {
	in := "ABCD1\r\nABCD2\rABCD3\n\x1b]52;c;eA==\x07ABCD4\t\u202e\n"
	if got, want := safetext.Text(in), "ABCD1\nABCD2\nABCD3\nABCD4 \n"; got != want {
		t.Fatalf("Text = %q, want %q", got, want)
	}
}

func TestVisible(t *testing.T) {
	for s, want := range map[string]bool{
		"UCAQU5CUV9": true, "P9T8R-F49T1": true, "a.b_c~": true,
		"": false, "AB CD": false, "AB\x1b": false, "ÄB": false, "AB\u202e": false, "AB\x7f": false,
	} {
		if got := safetext.Visible(s); got != want {
			t.Errorf("Visible(%q) = %v, want %v", s, got, want)
		}
	}
}

// wire is shaped like an answer: every kind of field Scrub walks.
type wire struct {
	Name    string            `json:"name" text:"max=16"`
	Note    string            `json:"note"`
	Codes   []string          `json:"codes" text:"token,max=8,items=3"`
	Count   int               `json:"count" text:"max=32"`
	ID      int64             `json:"id"`
	When    *time.Time        `json:"when"`
	Inner   *inner            `json:"inner"`
	ByKey   map[string]string `json:"by_key" text:"max=16,items=4"`
	Skipped string            `json:"-"`
	embedded
}

type inner struct {
	Label string `json:"label" text:"max=8"`
}

type embedded struct {
	Kind string `json:"kind" text:"max=8"`
}

func TestScrubCleansEveryString(t *testing.T) {
	now := time.Now()
	w := wire{
		Name: "al\x1b]0;x\x07ice", Note: hostile.Text("n"), Codes: []string{"AB12"}, Count: 3, ID: -4, When: &now,
		Inner: &inner{Label: "\u202elbl"}, ByKey: map[string]string{"k\x1b[2J": "v\u009b6n"}, Skipped: "\x1b", embedded: embedded{Kind: "\x07k"},
	}
	if err := safetext.Scrub(&w); err != nil {
		t.Fatal(err)
	}
	if w.Name != "alice" || w.Inner.Label != "lbl" || w.Kind != "k" || w.ByKey["k"] != "v" || len(w.ByKey) != 1 {
		t.Fatalf("not cleaned: %+v %+v", w, *w.Inner)
	}
	if leaks := hostile.Leaks([]byte(w.Note)); len(leaks) > 0 {
		t.Fatalf("note leaks %v", leaks)
	}
	if w.Skipped != "\x1b" {
		t.Fatal(`a json:"-" field was touched`)
	}
}

func TestScrubRefuses(t *testing.T) {
	tests := []struct {
		name    string
		w       wire
		field   string
		problem safetext.Problem
	}{
		{"long name", wire{Name: strings.Repeat("a", 17)}, "name", safetext.TooLong},
		{"long default", wire{Note: strings.Repeat("a", safetext.DefaultMax+1)}, "note", safetext.TooLong},
		{"too many codes", wire{Codes: []string{"A", "B", "C", "D"}}, "codes", safetext.TooMany},
		{"long code", wire{Codes: []string{"A", "123456789"}}, "codes[1]", safetext.TooLong},
		{"code with ESC", wire{Codes: []string{"AB\x1b[2J"}}, "codes[0]", safetext.NotVisible},
		{"code with space", wire{Codes: []string{"AB CD"}}, "codes[0]", safetext.NotVisible},
		{"negative count", wire{Count: -1}, "count", safetext.OutOfRange},
		{"count over", wire{Count: 33}, "count", safetext.OutOfRange},
		{"nested", wire{Inner: &inner{Label: "123456789"}}, "inner.label", safetext.TooLong},
		{"embedded", wire{embedded: embedded{Kind: "123456789"}}, "kind", safetext.TooLong},
		{"map items", wire{ByKey: map[string]string{"a": "", "b": "", "c": "", "d": "", "e": ""}}, "by_key", safetext.TooMany},
	}
	for _, tt := range tests {
		err := safetext.Scrub(&tt.w)
		var fe *safetext.FieldError
		if !errors.As(err, &fe) || fe.Field != tt.field || fe.Problem != tt.problem {
			t.Errorf("%s: Scrub = %v, want %s problem %d", tt.name, err, tt.field, tt.problem)
		}
	}
	// Escape sequences do not count: the bound is on what is shown.
	w := wire{Name: "alice\x1b]0;" + strings.Repeat("x", 100) + "\x07"}
	if err := safetext.Scrub(&w); err != nil || w.Name != "alice" {
		t.Errorf("a short name padded with a long sequence: %v, %q", err, w.Name)
	}
}

// TestScrubRefusesUncheckableKinds: raw bytes and interfaces cannot be
// cleaned, so a type holding them fails closed.
func TestScrubRefusesUncheckableKinds(t *testing.T) {
	type raw struct {
		Body []byte `json:"body"`
	}
	type iface struct {
		Any any `json:"any"`
	}
	for _, v := range []any{&raw{}, &iface{Any: "x"}, raw{}} {
		var fe *safetext.FieldError
		if err := safetext.Scrub(v); !errors.As(err, &fe) || fe.Problem != safetext.Unsupported {
			t.Errorf("Scrub(%T) = %v, want Unsupported", v, err)
		}
	}
}

func BenchmarkLine(b *testing.B) {
	s := strings.Repeat("Incorrect username or password. ", 16) + hostile.Text("x")
	b.SetBytes(int64(len(s)))
	for b.Loop() {
		_ = safetext.Line(s)
	}
}

func TestEscape(t *testing.T) {
	in := "a\x1b]0;x\x07\u009b6n\u202e\tb\xff"
	if got, want := safetext.Escape(in), `a\x1b]0;x\x07\u009b6n\u202e\x09b\xff`; got != want {
		t.Fatalf("Escape = %q, want %q", got, want)
	}
	if leaks := hostile.Leaks([]byte(safetext.Escape(hostile.Text("x")))); len(leaks) > 0 {
		t.Fatalf("Escape leaks %v", leaks)
	}
}
