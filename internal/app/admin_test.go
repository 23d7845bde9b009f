package app

import (
	"bytes"
	"errors"
	"io"
	"path/filepath"
	"strings"
	"testing"
)

// adminRun runs `admin args...` with stdin and returns stdout.
func adminRun(t *testing.T, env map[string]string, stdin string, args ...string) (string, error) {
	t.Helper()
	var out bytes.Buffer
	cmd := NewCmdAdmin(envFactory(env, strings.NewReader(stdin), &out, io.Discard), nil)
	cmd.SetArgs(args)
	cmd.SetOut(io.Discard)
	cmd.SetErr(io.Discard)
	err := cmd.Execute()
	return out.String(), err
}

// adminStep is one `twofa admin` run and what it must print.
type adminStep struct {
	name  string
	stdin string
	args  []string
	want  string // substring of stdout, or of the error when err is set
	err   bool
}

// runAdminSteps runs steps in order on env, failing at the first that
// does not print (or fail with) what it wants.
func runAdminSteps(t *testing.T, env map[string]string, steps []adminStep) {
	t.Helper()
	for _, st := range steps {
		out, err := adminRun(t, env, st.stdin, st.args...)
		if st.err {
			if err == nil || !strings.Contains(err.Error(), st.want) {
				t.Fatalf("%s: err %v, want one mentioning %q", st.name, err, st.want)
			}
			continue
		}
		if err != nil || !strings.Contains(out, st.want) {
			t.Fatalf("%s: err %v, output:\n%s\nwant %q", st.name, err, out, st.want)
		}
	}
}

func TestAdminCommands(t *testing.T) {
	db := "sqlite:" + filepath.Join(t.TempDir(), "admin.db")
	env := map[string]string{"TWOFA_DB": db, "USER": "tester", "JWT_SECRET": serveTestSecret}
	steps := []adminStep{
		{"create admin", "a long password\n", []string{"create-user", "root", "--role", "admin", "--password-stdin"}, `Created admin "root" (id 1)`, false},
		{"create user", "another password\n", []string{"create-user", "alice", "--password-stdin"}, `Created user "alice" (id 2)`, false},
		{"duplicate", "another password\n", []string{"create-user", "alice", "--password-stdin"}, "already exists", true},
		{"password as argument refused", "", []string{"create-user", "bob", "secretpw"}, "accepts 1 arg", true},
		{"short password", "short\n", []string{"create-user", "bob", "--password-stdin"}, "too short", true},
		{"bad role", "a long password\n", []string{"create-user", "bob", "--role", "god", "--password-stdin"}, "--role", true},
		{"no terminal, no --password-stdin", "", []string{"create-user", "bob"}, "not a terminal", true},
		{"list", "", []string{"list-users"}, "alice     user   off", false},
		{"set password", "a new password\n", []string{"set-password", "alice", "--password-stdin"}, "signed out", false},
		{"unknown user", "", []string{"reset-2fa", "nobody"}, "no such user", true},
		{"reset", "", []string{"reset-2fa", "alice"}, "removed", false},
		{"unlock", "", []string{"unlock", "alice"}, "Unlocked", false},
		{"rotate", "", []string{"rotate-key"}, "Re-encrypted 0", false},
		{"audit one user", "", []string{"audit", "alice"}, "admin_reset_2fa", false},
		{"audit all", "", []string{"audit", "--limit", "100"}, "admin_rotate_key", false},
	}
	runAdminSteps(t, env, steps)
	out, _ := adminRun(t, env, "", "audit")
	for _, secret := range []string{"a long password", "another password", "a new password"} {
		if strings.Contains(out, secret) {
			t.Fatalf("audit shows a password")
		}
	}
}

// TestAdminPasswordPrompt: the no-echo prompt asks twice and refuses a mismatch.
func TestAdminPasswordPrompt(t *testing.T) {
	var got *AdminOptions
	cmd := NewCmdAdmin(envFactory(map[string]string{"HOME": "/h"}, nil, io.Discard, io.Discard), func(o *AdminOptions) error { got = o; return nil })
	cmd.SetArgs([]string{"create-user", "carol"})
	if err := cmd.Execute(); err != nil || got.DB != "sqlite:/h/.local/share/twofa/twofa.db" || got.Role != "user" {
		t.Fatalf("parse: %v %+v", err, got)
	}
	answers := []string{"long enough pw", "long enough pw"}
	got.ReadPassword = func(string) (string, error) { a := answers[0]; answers = answers[1:]; return a, nil }
	if pw, err := got.password(true); err != nil || pw != "long enough pw" {
		t.Fatalf("prompt: %q %v", pw, err)
	}
	answers = []string{"long enough pw", "different pw!!"}
	_, err := got.password(true)
	var exit *ExitError
	if !errors.As(err, &exit) || !strings.Contains(err.Error(), "differ") {
		t.Fatalf("mismatch: %v", err)
	}
}
