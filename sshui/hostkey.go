package sshui

import (
	"crypto/ed25519"
	"crypto/rand"
	"encoding/pem"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/twofa/twofa/internal/privatefile"
	gossh "golang.org/x/crypto/ssh"
)

// HostKeyName is the file name of the host key in the data directory.
const HostKeyName = "ssh_host_ed25519_key"

// HostKey is the server's SSH host key: what it proves itself with to
// every client, and what people check (Fingerprint) on first connecting.
type HostKey struct {
	Signer gossh.Signer
	// Path is where the key is kept; Created says it was made on this start.
	Path    string
	Created bool
}

// Fingerprint is the key's SHA-256 fingerprint as OpenSSH prints it
// ("SHA256:…"), for people to compare with what ssh shows them.
func (k HostKey) Fingerprint() string { return gossh.FingerprintSHA256(k.Signer.PublicKey()) }

// LoadHostKey reads the Ed25519 host key at path, or — when there is none —
// generates one and writes it there, mode 0600, in OpenSSH's format (its
// directory is created 0700). A key that others than its owner may read is
// refused, as OpenSSH's sshd does, for it would let them impersonate this
// server; so is a path that is a symbolic link.
func LoadHostKey(path string) (HostKey, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return HostKey{}, fmt.Errorf("host key directory: %w", err)
	}
	k, err := readHostKey(path)
	if !errors.Is(err, fs.ErrNotExist) {
		return k, err
	}
	pem, err := newHostKeyPEM()
	if err != nil {
		return HostKey{}, err
	}
	if err := privatefile.Create(path, pem); err != nil {
		if errors.Is(err, fs.ErrExist) { // another process made it first
			return readHostKey(path)
		}
		return HostKey{}, fmt.Errorf("write host key %s: %w", path, err)
	}
	k, err = readHostKey(path)
	k.Created = true
	return k, err
}

// readHostKey parses the key at path after checking who may read it.
func readHostKey(path string) (HostKey, error) {
	info, err := os.Lstat(path)
	if err != nil {
		return HostKey{}, err
	}
	switch {
	case info.Mode()&fs.ModeSymlink != 0:
		return HostKey{}, fmt.Errorf("host key %s is a symbolic link; give the key file itself", path)
	case !info.Mode().IsRegular():
		return HostKey{}, fmt.Errorf("host key %s is not a regular file", path)
	case info.Mode().Perm()&0o077 != 0:
		return HostKey{}, fmt.Errorf("host key %s has permissions %04o: others could read it and pose as this server; run chmod 600 %s", path, info.Mode().Perm(), path)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return HostKey{}, fmt.Errorf("read host key: %w", err)
	}
	signer, err := gossh.ParsePrivateKey(data)
	if err != nil {
		return HostKey{}, fmt.Errorf("host key %s: %w", path, err)
	}
	return HostKey{Signer: signer, Path: path}, nil
}

// newHostKeyPEM generates an Ed25519 key in OpenSSH's PEM form.
func newHostKeyPEM() ([]byte, error) {
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return nil, fmt.Errorf("generate host key: %w", err)
	}
	block, err := gossh.MarshalPrivateKey(priv, "twofa ssh host key")
	if err != nil {
		return nil, fmt.Errorf("encode host key: %w", err)
	}
	return pem.EncodeToMemory(block), nil
}
