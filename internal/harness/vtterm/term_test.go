package vtterm

import (
	"strings"
	"testing"
	"time"
)

// skipWithoutPTY skips when no pseudo-terminal can be opened here.
func skipWithoutPTY(t *testing.T) {
	t.Helper()
	if err := Available(); err != nil {
		t.Skipf("cannot run programs in a pseudo-terminal here: %v", err)
	}
}

// TestTermRunsAProgram runs small shell scripts in the pty and reads back
// the screen: text, a glyph cut in two by a read boundary, and the answers
// to the colour and cursor-position queries (shown with ESC as E, after the
// script reads them in non-canonical mode). Colour queries end in ST as
// termenv sends them; vt10x would swallow what follows an unended one.
func TestTermRunsAProgram(t *testing.T) {
	skipWithoutPTY(t)
	custom := Palette{FG: [3]uint8{0xab, 0xcd, 0xef}, BG: [3]uint8{0x10, 0x20, 0x30}}
	tests := []struct {
		name     string
		script   string
		pal      *Palette
		want     string // on screen
		answered int
	}{
		{
			name:   "plain text",
			script: `printf 'hello\r\nworld'`,
			want:   "world",
		},
		{
			name:   "half block split across writes",
			script: `printf 'x\342'; sleep 0.2; printf '\226\200y'`,
			want:   "x▀y",
		},
		{
			name:     "background colour from the default palette",
			script:   `stty -icanon -echo; printf '\033]11;?\033\\'; head -c 25 | tr '\033' E`,
			want:     `E]11;rgb:0000/0000/0000E\`,
			answered: 1,
		},
		{
			name:     "text and background colour from a chosen palette",
			script:   `stty -icanon -echo; printf '\033]11;?\033\\\033]10;?\033\\'; head -c 50 | tr '\033' E`,
			pal:      &custom,
			want:     `E]11;rgb:1010/2020/3030E\E]10;rgb:abab/cdcd/efefE\`,
			answered: 2,
		},
		{
			name:     "colour query split across writes is answered once",
			script:   `stty -icanon -echo; printf '\033]1'; sleep 0.2; printf '1;?\033\\'; head -c 25 | tr '\033' E`,
			want:     `E]11;rgb:0000/0000/0000E\`,
			answered: 1,
		},
		{
			name:   "cursor position answered by the emulator",
			script: `stty -icanon -echo; printf '\033[5;10H\033[6n'; head -c 7 | tr '\033' E`,
			want:   "E[5;10R",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			term, err := Start("/bin/sh", []string{"-c", tt.script + "; sleep 10"}, []string{"PATH=/usr/bin:/bin", "TERM=xterm-256color"}, Options{Palette: tt.pal})
			if err != nil {
				t.Fatal(err)
			}
			defer term.Kill()
			if err := term.WaitText([]string{tt.want}, 10*time.Second); err != nil {
				t.Fatal(err)
			}
			if got := term.Answered(); got != tt.answered {
				t.Errorf("Answered() = %d, want %d", got, tt.answered)
			}
			if term.Bytes() == 0 {
				t.Error("Bytes() = 0 after output reached the screen")
			}
			if !term.LastOutput().After(term.Started()) {
				t.Errorf("LastOutput() %v is not after Started() %v", term.LastOutput(), term.Started())
			}
		})
	}
}

// TestTermScreenAndCells checks the screen's size and that cells carry the
// characters drawn.
func TestTermScreenAndCells(t *testing.T) {
	skipWithoutPTY(t)
	term, err := Start("/bin/sh", []string{"-c", `printf '\033[2;3Hab'; sleep 10`}, []string{"PATH=/usr/bin:/bin"}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer term.Kill()
	if err := term.WaitText([]string{"ab"}, 10*time.Second); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(term.Screen(), "\n"), "\n")
	if len(lines) != Rows {
		t.Fatalf("Screen() has %d lines, want %d", len(lines), Rows)
	}
	for i, l := range lines {
		if n := len([]rune(l)); n != Cols {
			t.Fatalf("line %d has %d cells, want %d", i+1, n, Cols)
		}
	}
	if got := lines[1][:5]; got != "  ab " {
		t.Errorf("row 2 starts %q, want %q", got, "  ab ")
	}
	cells := term.Cells()
	if len(cells) != Rows || len(cells[0]) != Cols {
		t.Fatalf("Cells() is %dx%d, want %dx%d", len(cells[0]), len(cells), Cols, Rows)
	}
	if cells[1][2].Char != 'a' || cells[1][3].Char != 'b' {
		t.Errorf("cells (3,2),(4,2) = %q,%q, want 'a','b'", cells[1][2].Char, cells[1][3].Char)
	}
}

// TestTermExit checks the exit code, and that a wait for text that never
// comes reports the exit rather than timing out.
func TestTermExit(t *testing.T) {
	skipWithoutPTY(t)
	tests := []struct {
		name string
		code int
	}{
		{"success", 0},
		{"failure", 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			term, err := Start("/bin/sh", []string{"-c", "printf done; exit " + string(rune('0'+tt.code))}, []string{"PATH=/usr/bin:/bin"}, Options{})
			if err != nil {
				t.Fatal(err)
			}
			defer term.Kill()
			if _, err := term.WaitUntil(10*time.Second, func(string) bool { return false }); err != ErrExited {
				t.Fatalf("WaitUntil after exit = %v, want ErrExited", err)
			}
			if err := term.WaitText([]string{"done"}, time.Second); err != nil {
				t.Errorf("the last output did not reach the screen: %v", err)
			}
			code, err := term.ExitCode()
			if err != nil || code != tt.code {
				t.Errorf("ExitCode() = %d, %v, want %d", code, err, tt.code)
			}
		})
	}
}

// TestTermClose checks that Close interrupts a program with Ctrl+C.
func TestTermClose(t *testing.T) {
	skipWithoutPTY(t)
	term, err := Start("/bin/sh", []string{"-c", `trap 'exit 7' INT; printf ready; while :; do sleep 0.05; done`}, []string{"PATH=/usr/bin:/bin"}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := term.WaitText([]string{"ready"}, 10*time.Second); err != nil {
		t.Fatal(err)
	}
	_ = term.Close()
	if code, _ := term.ExitCode(); code != 7 {
		t.Errorf("exit code after Close = %d, want 7 (the INT trap's)", code)
	}
}
