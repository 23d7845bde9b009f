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
		{"unknown", []string{"no-such-command"}, 1, ""},
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
