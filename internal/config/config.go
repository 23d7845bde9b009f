// Package config reads and writes twofa's small settings file: the default
// server, the last username used on each server, and the sign-in route of
// users who do not sign in at the main one. It holds no secrets.
package config

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/twofa/twofa/internal/privatefile"
)

// Config is the content of config.json.
type Config struct {
	// Server is the server used when neither --server nor TWOFA_SERVER is given.
	Server string `json:"server,omitempty"`
	// LastUser maps a server's base URL to the username last signed in there.
	LastUser map[string]string `json:"last_user,omitempty"`
	// SignInRoute maps a server's base URL and a username to the route that
	// user signs in at, when it is not the main one ("customer-portal").
	SignInRoute map[string]map[string]string `json:"sign_in_route,omitempty"`
}

// DefaultPath returns $XDG_CONFIG_HOME/twofa/config.json, else
// ~/.config/twofa/config.json, or "" when neither can be found.
func DefaultPath() string { return PathFrom(os.Getenv) }

// PathFrom is DefaultPath with an injectable environment.
func PathFrom(getenv func(string) string) string {
	if dir := getenv("XDG_CONFIG_HOME"); filepath.IsAbs(dir) {
		return filepath.Join(dir, "twofa", "config.json")
	}
	if home := getenv("HOME"); home != "" {
		return filepath.Join(home, ".config", "twofa", "config.json")
	}
	if home, err := os.UserHomeDir(); err == nil {
		return filepath.Join(home, ".config", "twofa", "config.json")
	}
	return ""
}

// Load reads the file at path; a missing file is an empty Config.
func Load(path string) (*Config, error) {
	c := &Config{LastUser: map[string]string{}}
	if path == "" {
		return c, nil
	}
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return c, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read config: %w", err)
	}
	if err := json.Unmarshal(data, c); err != nil {
		return nil, fmt.Errorf("config file %s is not valid JSON (fix or delete it): %w", path, err)
	}
	if c.LastUser == nil {
		c.LastUser = map[string]string{}
	}
	return c, nil
}

// RememberUser records user as the last one signed in at server, and server
// as the default for the next run.
func (c *Config) RememberUser(server, user string) {
	if c.LastUser == nil {
		c.LastUser = map[string]string{}
	}
	c.LastUser[server] = user
	c.Server = server
}

// RouteOf returns the sign-in route remembered for user at server, "" for the main one.
func (c *Config) RouteOf(server, user string) string { return c.SignInRoute[server][user] }

// RememberRoute records the route user signed in at on server; "" (the main
// route) forgets any other one.
func (c *Config) RememberRoute(server, user, route string) {
	if route == "" {
		delete(c.SignInRoute[server], user)
		if len(c.SignInRoute[server]) == 0 {
			delete(c.SignInRoute, server)
		}
		return
	}
	if c.SignInRoute == nil {
		c.SignInRoute = map[string]map[string]string{}
	}
	if c.SignInRoute[server] == nil {
		c.SignInRoute[server] = map[string]string{}
	}
	c.SignInRoute[server][user] = route
}

// Save writes the Config to path atomically with mode 0600, creating its
// directory with mode 0700.
func (c *Config) Save(path string) error {
	if path == "" {
		return errors.New("no config path: set HOME or XDG_CONFIG_HOME")
	}
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("create config directory: %w", err)
	}
	data, err := json.MarshalIndent(c, "", "  ")
	if err != nil {
		return err
	}
	if err := privatefile.Write(path, append(data, '\n'), nil); err != nil {
		return fmt.Errorf("write config: %w", err)
	}
	return nil
}
