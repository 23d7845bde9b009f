package main

import (
	"bytes"
	"strings"
	"testing"

	"github.com/twofa/twofa/internal/app"
)

func TestRunCommands(t *testing.T) {
	tests := []struct {
		name     string
		args     []string
		wantCode int
		wantOut  string
	}{
		{"version", []string{"version"}, 0, "twofa "},
		{"help", []string{"--help"}, 0, "Usage:"},
		{"completion", []string{"completion", "bash"}, 0, "bash completion"},
		{"unknown", []string{"no-such-command"}, 2, ""},
		{"--version", []string{"--version"}, 0, "twofa dev ("},
		{"unknown flag", []string{"status", "--no-such-flag"}, 2, ""},
		{"extra argument", []string{"version", "extra"}, 2, ""},
		{"bad theme", []string{"--theme", "purple"}, 2, ""},
		{"server with a space", []string{"status", "--json", "--server", "http://h/ extra"}, 2, `"error": "the server address \"http://h/ extra\" has a space`},
		{"status --json failing", []string{"status", "--json", "--server", "http://127.0.0.1:1"}, 1, `"error": "Could not connect`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out, errOut bytes.Buffer
			f := &app.Factory{IO: app.IOStreams{In: strings.NewReader(""), Out: &out, ErrOut: &errOut}, Getenv: func(string) string { return "" }}
			if code := run(f, tt.args); code != tt.wantCode {
				t.Fatalf("exit code %d, want %d; stderr %q", code, tt.wantCode, errOut.String())
			}
			if !strings.Contains(out.String(), tt.wantOut) {
				t.Fatalf("stdout %q does not contain %q", out.String(), tt.wantOut)
			}
		})
	}
}

// TestHelpListsOwnFlags: each command's help lists its own flags and no
// client flag it does not take.
func TestHelpListsOwnFlags(t *testing.T) {
	tests := []struct {
		cmd       string
		want, not []string
	}{
		{"", []string{"--server", "--theme", "--insecure-storage", "--version"}, nil},
		{"status", []string{"--server", "--json", "--debug"}, []string{"--theme", "--addr"}},
		{"serve", []string{"--addr", "--db"}, []string{"--server", "--allow-http", "--ca-cert", "--insecure-storage", "--debug", "--theme"}},
		{"admin", []string{"--db"}, []string{"--server", "--allow-http", "--insecure-storage", "--debug", "--theme"}},
		{"demo", []string{"--ssh", "--theme"}, []string{"--server", "--allow-http", "--insecure-storage", "--debug"}},
		{"gateway", []string{"--ssh", "--server", "--ca-cert"}, []string{"--insecure-storage", "--theme", "--db"}},
	}
	for _, tt := range tests {
		t.Run(tt.cmd, func(t *testing.T) {
			var out bytes.Buffer
			f := &app.Factory{IO: app.IOStreams{In: strings.NewReader(""), Out: &out, ErrOut: &out}, Getenv: func(string) string { return "" }}
			args := []string{"--help"}
			if tt.cmd != "" {
				args = []string{tt.cmd, "--help"}
			}
			if code := run(f, args); code != 0 {
				t.Fatalf("exit %d: %s", code, out.String())
			}
			for _, w := range tt.want {
				if !strings.Contains(out.String(), w+" ") {
					t.Errorf("help lacks %s:\n%s", w, out.String())
				}
			}
			for _, n := range tt.not {
				if strings.Contains(out.String(), n+" ") {
					t.Errorf("help lists %s:\n%s", n, out.String())
				}
			}
		})
	}
}
