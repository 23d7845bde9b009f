package keyring

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sync"

	"github.com/twofa/twofa/internal/privatefile"
)

// fileName is the plaintext session file used only with InsecureFile.
const fileName = "sessions.json"

// fileBackend keeps tokens in a 0600 JSON file in a 0700 directory, and
// refuses (like OpenSSH) a file or directory others can read, or that
// belongs to someone else (privatefile.UnsafeError, worded by ui/words).
type fileBackend struct {
	mu  sync.Mutex
	dir string
}

func (b *fileBackend) name() string { return BackendFile }

func (b *fileBackend) path() string { return filepath.Join(b.dir, fileName) }

// fileContent is the on-disk shape: key(server, user) → token.
type fileContent struct {
	Sessions map[string]string `json:"sessions"`
}

func (b *fileBackend) read() (fileContent, error) {
	c := fileContent{Sessions: map[string]string{}}
	if err := checkDir(b.dir); err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return c, nil
		}
		return c, err
	}
	fi, err := os.Lstat(b.path())
	if errors.Is(err, fs.ErrNotExist) {
		return c, nil
	}
	if err != nil {
		return c, err
	}
	if err := privatefile.Check(b.path(), fi, 0o077); err != nil {
		return c, err
	}
	data, err := os.ReadFile(b.path())
	if err != nil {
		return c, err
	}
	if err := json.Unmarshal(data, &c); err != nil {
		return c, fmt.Errorf("%s is damaged; delete it and sign in again: %w", b.path(), err)
	}
	if c.Sessions == nil {
		c.Sessions = map[string]string{}
	}
	return c, nil
}

func (b *fileBackend) write(c fileContent) error {
	if err := os.MkdirAll(b.dir, 0o700); err != nil {
		return err
	}
	if err := checkDir(b.dir); err != nil {
		return err
	}
	data, err := json.MarshalIndent(c, "", "  ")
	if err != nil {
		return err
	}
	return privatefile.Write(b.path(), data, nil)
}

func (b *fileBackend) set(server, user, token string) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	c, err := b.read()
	if err != nil {
		return err
	}
	c.Sessions[key(server, user)] = token
	return b.write(c)
}

func (b *fileBackend) get(server, user string) (string, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	c, err := b.read()
	if err != nil {
		return "", err
	}
	tok, ok := c.Sessions[key(server, user)]
	if !ok {
		return "", ErrNotFound
	}
	return tok, nil
}

func (b *fileBackend) del(server, user string) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	c, err := b.read()
	if err != nil {
		return err
	}
	if _, ok := c.Sessions[key(server, user)]; !ok {
		return nil
	}
	delete(c.Sessions, key(server, user))
	if len(c.Sessions) == 0 {
		return os.Remove(b.path())
	}
	return b.write(c)
}

// checkDir refuses a session directory that is a symlink, is not a
// directory, belongs to someone else or is open to others, or sits below a
// directory others could replace it from (privatefile.CheckAncestors).
func checkDir(dir string) error {
	fi, err := os.Lstat(dir)
	if err != nil {
		return err
	}
	if !fi.IsDir() && fi.Mode()&fs.ModeSymlink == 0 {
		return &privatefile.UnsafeError{Path: dir, Problem: privatefile.NotDir}
	}
	if err := privatefile.Check(dir, fi, 0o077); err != nil {
		return err
	}
	return privatefile.CheckAncestors(dir)
}
