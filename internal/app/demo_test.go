package app

import (
	"bytes"
	"errors"
	"testing"
)

func TestDemoNeedsATerminal(t *testing.T) {
	var out, errOut bytes.Buffer
	f := &Factory{IO: IOStreams{In: &bytes.Buffer{}, Out: &out, ErrOut: &errOut}, Getenv: func(string) string { return "" }}
	cmd := NewCmdDemo(f, nil)
	cmd.SetArgs(nil)
	err := cmd.Execute()
	var exit *ExitError
	if !errors.As(err, &exit) || exit.Code != 2 || !errors.Is(err, ErrNotTerminal) {
		t.Fatalf("want exit 2 with ErrNotTerminal, got %v", err)
	}
	if out.Len() != 0 {
		t.Errorf("wrote to stdout: %q", out.String())
	}
}

func TestDemoFlags(t *testing.T) {
	f := &Factory{IO: IOStreams{In: &bytes.Buffer{}, Out: &bytes.Buffer{}, ErrOut: &bytes.Buffer{}}, Getenv: func(string) string { return "" }}
	tests := []struct {
		args    []string
		wantErr bool
	}{
		{nil, false},
		{[]string{"extra"}, true},
	}
	for _, tc := range tests {
		var got *DemoOptions
		cmd := NewCmdDemo(f, func(o *DemoOptions) error { got = o; return nil })
		cmd.SetArgs(tc.args)
		cmd.SetOut(&bytes.Buffer{})
		cmd.SetErr(&bytes.Buffer{})
		err := cmd.Execute()
		if (err != nil) != tc.wantErr {
			t.Errorf("args %q: err = %v, want error %v", tc.args, err, tc.wantErr)
		}
		if !tc.wantErr && (got == nil || got.Username != "demo") {
			t.Errorf("args %q: options = %+v", tc.args, got)
		}
	}
}

func TestTUINeedsATerminal(t *testing.T) {
	f := &Factory{IO: IOStreams{In: &bytes.Buffer{}, Out: &bytes.Buffer{}, ErrOut: &bytes.Buffer{}}, Getenv: func(string) string { return "" }}
	run := NewTUIRunE(f, &ClientFlags{Server: "https://example.com"}, &ThemeFlag{})
	if err := run(nil, nil); !errors.Is(err, ErrNotTerminal) {
		t.Fatalf("want ErrNotTerminal, got %v", err)
	}
}
