package ui

import "testing"

func TestParseBackground(t *testing.T) {
	tests := []struct {
		name     string
		in       string
		dark, ok bool
	}{
		{"white, ST", "\x1b]11;rgb:ffff/ffff/ffff\x1b\\\x1b[?62;22c", false, true},
		{"black, BEL", "\x1b]11;rgb:0000/0000/0000\a", true, true},
		{"two hex digits", "\x1b]11;rgb:fe/fe/f0\a", false, true},
		{"dark blue", "\x1b]11;rgb:1e1e/1e1e/2e2e\x1b\\", true, true},
		{"mid grey is light", "\x1b]11;rgb:8080/8080/8080\a", false, true},
		{"only DA1", "\x1b[?1;2c", false, false},
		{"unterminated", "\x1b]11;rgb:ffff/ffff/ffff", false, false},
		{"two parts", "\x1b]11;rgb:ffff/ffff\a", false, false},
		{"not hex", "\x1b]11;rgb:zzzz/ffff/ffff\a", false, false},
		{"five digits", "\x1b]11;rgb:fffff/ffff/ffff\a", false, false},
		{"empty part", "\x1b]11;rgb:/ffff/ffff\a", false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dark, ok := ParseBackground([]byte(tt.in))
			if dark != tt.dark || ok != tt.ok {
				t.Fatalf("ParseBackground(%q) = %v, %v; want %v, %v", tt.in, dark, ok, tt.dark, tt.ok)
			}
		})
	}
}

func TestAnswerComplete(t *testing.T) {
	tests := map[string]bool{
		"\x1b]11;rgb:ffff/ffff/ffff\x1b\\\x1b[?62;22c": true,
		"\x1b[?1;2c":                   true,
		"\x1b]11;rgb:ffff/ffff/ffff\a": false,
		"\x1b[?62;2":                   false,
		"":                             false,
	}
	for in, want := range tests {
		if got := AnswerComplete([]byte(in)); got != want {
			t.Errorf("AnswerComplete(%q) = %v, want %v", in, got, want)
		}
	}
}

func TestParseTheme(t *testing.T) {
	tests := []struct {
		in           string
		want         Theme
		wantErr      bool
		dark, forced bool
	}{
		{"", ThemeAuto, false, false, false},
		{"auto", ThemeAuto, false, false, false},
		{"Dark", ThemeDark, false, true, true},
		{" light ", ThemeLight, false, false, true},
		{"solarized", "", true, false, false},
	}
	for _, tt := range tests {
		got, err := ParseTheme(tt.in)
		if got != tt.want || (err != nil) != tt.wantErr {
			t.Errorf("ParseTheme(%q) = %q, %v", tt.in, got, err)
		}
		if dark, forced := got.Forced(); dark != tt.dark || forced != tt.forced {
			t.Errorf("%q.Forced() = %v, %v", got, dark, forced)
		}
	}
}

func TestInMultiplexer(t *testing.T) {
	tests := []struct {
		env  map[string]string
		want bool
	}{
		{map[string]string{"TERM": "tmux-256color"}, true},
		{map[string]string{"TERM": "screen.xterm-256color"}, true},
		{map[string]string{"TERM": "xterm-256color", "TMUX": "/tmp/tmux-0/default,1,0"}, true},
		{map[string]string{"TERM": "xterm-256color", "STY": "123.pts-0.host"}, true},
		{map[string]string{"TERM": "xterm-256color"}, false},
	}
	for _, tt := range tests {
		if got := InMultiplexer(func(k string) string { return tt.env[k] }); got != tt.want {
			t.Errorf("InMultiplexer(%v) = %v, want %v", tt.env, got, tt.want)
		}
	}
}
