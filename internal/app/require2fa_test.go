package app

import (
	"path/filepath"
	"testing"
	"time"
)

func TestParseGrace(t *testing.T) {
	cases := []struct {
		in   string
		want time.Duration
		err  bool
	}{
		{"7d", 7 * 24 * time.Hour, false},
		{"1d12h", 36 * time.Hour, false},
		{"36h", 36 * time.Hour, false},
		{"0", 0, false},
		{"-1d", 0, true},
		{"soon", 0, true},
		{"-5h", 0, true},
	}
	for _, c := range cases {
		got, err := parseGrace(c.in)
		if (err != nil) != c.err || got != c.want {
			t.Errorf("parseGrace(%q) = %v, %v; want %v, error %v", c.in, got, err, c.want, c.err)
		}
	}
}

func TestAdminRequire2FA(t *testing.T) {
	db := "sqlite:" + filepath.Join(t.TempDir(), "admin.db")
	env := map[string]string{"TWOFA_DB": db, "USER": "tester"}
	runAdminSteps(t, env, []adminStep{
		{"none yet", "", []string{"require-2fa"}, "No role requires", false},
		{"require", "", []string{"require-2fa", "--role", "user", "--grace", "7d"}, "Role user now requires two-factor authentication. Accounts without it have 7 days", false},
		{"list", "", []string{"require-2fa"}, "user  7 days", false},
		{"bad role", "", []string{"require-2fa", "--role", "god"}, "--role", true},
		{"bad grace", "", []string{"require-2fa", "--role", "user", "--grace", "soon"}, "--grace", true},
		{"off without role", "", []string{"require-2fa", "--off"}, "--off needs --role", true},
		{"off", "", []string{"require-2fa", "--role", "user", "--off"}, "no longer requires", false},
		{"off again", "", []string{"require-2fa", "--role", "user", "--off"}, "does not require", true},
		{"audited", "", []string{"audit"}, "admin_require_2fa", false},
	})
}
