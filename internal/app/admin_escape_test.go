package app

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/twofa/twofa/server/store"
)

// TestAdminShowsHostileNamesEscaped: a username stored before names were
// checked (written here straight into the database) that holds a bidi
// override, a zero-width space, a C1 CSI and an ESC sequence is printed by
// list-users and audit escaped and quoted, never raw; create-user refuses
// such a name.
func TestAdminShowsHostileNamesEscaped(t *testing.T) {
	db := "sqlite:" + filepath.Join(t.TempDir(), "admin.db")
	env := map[string]string{"TWOFA_DB": db, "USER": "tester"}
	legacy := "mal\u202elory\u200b\u009b2J\x1b]0;pwned\a"
	st, err := store.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	id, err := st.Users.Create(context.Background(), st.DB(), legacy, "x", "user", time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if err := st.Audit.Append(context.Background(), st.DB(), store.Event{At: time.Now(), UserID: &id, Username: legacy, Event: "signin_failed", ClientAddr: "203.0.113.9", Detail: "by admin " + legacy}); err != nil {
		t.Fatal(err)
	}
	st.Close()

	want := `"mal\u202elory\u200b\u009b2J\x1b]0;pwned\a"`
	for _, args := range [][]string{{"list-users"}, {"audit"}} {
		out, err := adminRun(t, env, "", args...)
		if err != nil {
			t.Fatalf("%v: %v", args, err)
		}
		if strings.ContainsAny(out, "\u202e\u200b\u009b\x1b\a") {
			t.Errorf("%v printed a raw control, format or bidi character:\n%q", args, out)
		}
		if !strings.Contains(out, want) {
			t.Errorf("%v does not show the name escaped as %s:\n%s", args, want, out)
		}
	}
	for _, name := range []string{"evil\u202egnp", "ad\u200bmin", "x\u009b2J"} {
		if _, err := adminRun(t, env, "a long password\n", "create-user", name, "--password-stdin"); err == nil || !strings.Contains(err.Error(), "must not contain U+") {
			t.Errorf("create-user %q: err %v, want a refusal naming the character", name, err)
		}
	}
}

// TestShown: graphic text is printed as it is; anything else quoted and escaped.
func TestShown(t *testing.T) {
	for in, want := range map[string]string{
		"alice":        "alice",
		"José 李雷":      "José 李雷",
		"a\tb":         `"a\tb"`,
		"a\u202eb":     `"a\u202eb"`,
		`corp\alice`:   `"corp\\alice"`,
		`say "hi"`:     `"say \"hi\""`,
		"bad\xffbytes": `"bad\xffbytes"`,
		"":             "",
	} {
		if got := shown(in); got != want {
			t.Errorf("shown(%q) = %s, want %s", in, got, want)
		}
	}
}
