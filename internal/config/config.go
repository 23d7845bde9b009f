// Package config reads and writes twofa's small settings file: the default
// server, the last username used on each server, and the sign-in route of
// users who do not sign in at the main one. It holds no secrets.
package config

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sync"

	"github.com/twofa/twofa/internal/privatefile"
	"github.com/twofa/twofa/internal/safetext"
)

// Config is the content of config.json. Load cleans every string in it
// (internal/safetext), like everything a server sends.
type Config struct {
	// Server is the server used when neither --server nor TWOFA_SERVER is given.
	Server string `json:"server,omitempty" text:"max=2048"`
	// LastUser maps a server's base URL to the username last signed in there.
	LastUser map[string]string `json:"last_user,omitempty" text:"max=2048"`
	// SignInRoute maps a server's base URL and a username to the route that
	// user signs in at, when it is not the main one ("customer-portal").
	SignInRoute map[string]map[string]string `json:"sign_in_route,omitempty" text:"max=2048"`
}

// maxSize is the largest config file read: it holds a few addresses and names.
const maxSize = 1 << 20

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

// Load reads the file at path; a missing file is an empty Config. It
// refuses (a *privatefile.UnsafeError) a file or directory that belongs to
// another user or that others may write to, and a directory above them
// others could replace them from: whoever can change the file chooses the
// server twofa sends your password to.
func Load(path string) (*Config, error) {
	c := &Config{LastUser: map[string]string{}}
	if path == "" {
		return c, nil
	}
	if err := checkTrusted(filepath.Dir(path)); err != nil {
		return nil, err
	}
	fi, err := os.Stat(path)
	if errors.Is(err, fs.ErrNotExist) {
		return c, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read config: %w", err)
	}
	if err := privatefile.Check(path, fi, othersWrite); err != nil {
		return nil, err
	}
	data, err := readSmall(path)
	if err != nil {
		return nil, err
	}
	if err := json.Unmarshal(data, c); err != nil {
		return nil, fmt.Errorf("config file %s is not valid JSON (fix or delete it): %w", path, err)
	}
	if err := safetext.Scrub(c); err != nil {
		return nil, fmt.Errorf("config file %s holds something twofa does not take (fix or delete it): %w", path, err)
	}
	if c.LastUser == nil {
		c.LastUser = map[string]string{}
	}
	return c, nil
}

// othersWrite are the permission bits that let others change a file.
const othersWrite fs.FileMode = 0o022

// checkTrusted refuses the config directory when another user owns it or
// may write to it, or could replace it from a directory above.
func checkTrusted(dir string) error {
	if err := privatefile.CheckDir(dir, othersWrite); err != nil {
		return err
	}
	return privatefile.CheckAncestors(dir)
}

// readSmall reads path, refusing a file larger than maxSize.
func readSmall(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("read config: %w", err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxSize+1))
	if err != nil {
		return nil, fmt.Errorf("read config: %w", err)
	}
	if len(data) > maxSize {
		return nil, fmt.Errorf("config file %s is larger than %d bytes (fix or delete it)", path, maxSize)
	}
	return data, nil
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
// directory with mode 0700; it refuses a directory Load would refuse.
func (c *Config) Save(path string) error {
	if path == "" {
		return errors.New("no config path: set HOME or XDG_CONFIG_HOME")
	}
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("create config directory: %w", err)
	}
	if err := checkTrusted(dir); err != nil {
		return err
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

// File is the config file of one run: its content and where it lives, safe
// for concurrent use. It is what a session.Manager remembers users and
// sign-in routes in (session.Memory).
type File struct {
	path string
	mu   sync.Mutex
	c    *Config
}

// Open reads the file at path into a File; a missing file is an empty one.
func Open(path string) (*File, error) {
	c, err := Load(path)
	if err != nil {
		return nil, err
	}
	return &File{path: path, c: c}, nil
}

// Path is where the file lives ("" when no home directory is known).
func (f *File) Path() string { return f.path }

// Server is the default server: the last one signed in to.
func (f *File) Server() string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.c.Server
}

// LastUser returns the username last signed in at server, or "".
func (f *File) LastUser(server string) string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.c.LastUser[server]
}

// Route returns the sign-in route remembered for user at server, "" for the main one.
func (f *File) Route(server, user string) string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.c.RouteOf(server, user)
}

// Remember records user as the last one signed in at server, at route (""
// for the main one, which forgets any other), and writes the file.
func (f *File) Remember(server, user, route string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.c.RememberUser(server, user)
	f.c.RememberRoute(server, user, route)
	return f.c.Save(f.path)
}
