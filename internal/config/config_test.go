package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestPathFrom(t *testing.T) {
	tests := []struct {
		env  map[string]string
		want string
	}{
		{map[string]string{"XDG_CONFIG_HOME": "/x/cfg", "HOME": "/home/a"}, "/x/cfg/twofa/config.json"},
		{map[string]string{"XDG_CONFIG_HOME": "relative", "HOME": "/home/a"}, "/home/a/.config/twofa/config.json"},
		{map[string]string{"HOME": "/home/a"}, "/home/a/.config/twofa/config.json"},
	}
	for _, tt := range tests {
		if got := PathFrom(func(k string) string { return tt.env[k] }); got != tt.want {
			t.Errorf("PathFrom(%v) = %q, want %q", tt.env, got, tt.want)
		}
	}
}

func TestLoadSaveRoundTrip(t *testing.T) {
	path := filepath.Join(t.TempDir(), "cfg", "twofa", "config.json")
	c, err := Load(path)
	if err != nil || c.Server != "" || len(c.LastUser) != 0 {
		t.Fatalf("missing file: %+v, %v", c, err)
	}
	c.RememberUser("https://a.example", "alice")
	c.RememberUser("https://b.example", "bob")
	if err := c.Save(path); err != nil {
		t.Fatal(err)
	}
	for p, want := range map[string]os.FileMode{path: 0o600, filepath.Dir(path): 0o700} {
		fi, err := os.Stat(p)
		if err != nil || fi.Mode().Perm() != want {
			t.Fatalf("%s: mode %v, %v; want %o", p, fi.Mode().Perm(), err, want)
		}
	}
	got, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if got.Server != "https://b.example" || got.LastUser["https://a.example"] != "alice" || got.LastUser["https://b.example"] != "bob" {
		t.Fatalf("loaded %+v", got)
	}
	entries, _ := os.ReadDir(filepath.Dir(path))
	if len(entries) != 1 {
		t.Fatalf("temp files left behind: %v", entries)
	}
}

func TestLoadDamaged(t *testing.T) {
	path := filepath.Join(t.TempDir(), "config.json")
	if err := os.WriteFile(path, []byte("{not json"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := Load(path); err == nil || !strings.Contains(err.Error(), path) {
		t.Fatalf("err = %v, want one naming the file", err)
	}
}

// TestSignInRoute: a route other than the main one is remembered per server
// and user, survives a save, and the main route forgets it again.
func TestSignInRoute(t *testing.T) {
	path := filepath.Join(t.TempDir(), "config.json")
	c, _ := Load(path)
	c.RememberRoute("https://a.example", "carol", "customer-portal")
	c.RememberRoute("https://a.example", "alice", "")
	if err := c.Save(path); err != nil {
		t.Fatal(err)
	}
	got, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if r := got.RouteOf("https://a.example", "carol"); r != "customer-portal" {
		t.Fatalf("carol's route = %q", r)
	}
	if r := got.RouteOf("https://b.example", "carol") + got.RouteOf("https://a.example", "alice"); r != "" {
		t.Fatalf("a route leaked to another server or user: %q", r)
	}
	got.RememberRoute("https://a.example", "carol", "")
	if got.RouteOf("https://a.example", "carol") != "" || got.SignInRoute != nil && len(got.SignInRoute) != 0 {
		t.Fatalf("the main route did not forget the old one: %+v", got.SignInRoute)
	}
	data, _ := os.ReadFile(path)
	if !strings.Contains(string(data), `"sign_in_route"`) {
		t.Fatalf("config file lacks sign_in_route:\n%s", data)
	}
}
