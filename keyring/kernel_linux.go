//go:build linux

package keyring

import (
	"errors"
	"fmt"

	"golang.org/x/sys/unix"
)

// keyPerm lets the possessor and any process of the same user (a later SSH
// login has a new session keyring and so does not possess the key) view,
// read, write, search, link and set attributes; group and others get nothing.
const keyPerm = 0x3f3f0000 // KEY_POS_ALL | KEY_USR_ALL

// kernelKeyring stores tokens as "user" keys in the Linux user keyring
// (keyctl): in kernel memory, never on disk, gone at reboot.
type kernelKeyring struct {
	ring int
}

// kernelBackend returns the kernel keyring when this kernel offers one to us.
func kernelBackend() (backend, error) {
	ring, err := unix.KeyctlGetKeyringID(unix.KEY_SPEC_USER_KEYRING, true)
	if err != nil {
		return nil, fmt.Errorf("kernel keyring: %w", err)
	}
	return &kernelKeyring{ring: ring}, nil
}

func (k *kernelKeyring) name() string { return BackendKernel }

func (k *kernelKeyring) set(server, user, token string) error {
	id, err := unix.AddKey("user", key(server, user), []byte(token), k.ring)
	if err != nil {
		return fmt.Errorf("keyctl add: %w", err)
	}
	if err := unix.KeyctlSetperm(id, keyPerm); err != nil {
		return fmt.Errorf("keyctl setperm: %w", err)
	}
	return nil
}

func (k *kernelKeyring) find(server, user string) (int, error) {
	id, err := unix.KeyctlSearch(k.ring, "user", key(server, user), 0)
	if errors.Is(err, unix.ENOKEY) || errors.Is(err, unix.EKEYEXPIRED) || errors.Is(err, unix.EKEYREVOKED) {
		return 0, ErrNotFound
	}
	if err != nil {
		return 0, fmt.Errorf("keyctl search: %w", err)
	}
	return id, nil
}

func (k *kernelKeyring) get(server, user string) (string, error) {
	id, err := k.find(server, user)
	if err != nil {
		return "", err
	}
	buf := make([]byte, 4096)
	for {
		n, err := unix.KeyctlBuffer(unix.KEYCTL_READ, id, buf, 0)
		if err != nil {
			return "", fmt.Errorf("keyctl read: %w", err)
		}
		if n <= len(buf) {
			return string(buf[:n]), nil
		}
		buf = make([]byte, n)
	}
}

func (k *kernelKeyring) del(server, user string) error {
	id, err := k.find(server, user)
	if err != nil {
		return err
	}
	if _, err := unix.KeyctlInt(unix.KEYCTL_INVALIDATE, id, 0, 0, 0); err == nil {
		return nil
	}
	if _, err := unix.KeyctlInt(unix.KEYCTL_UNLINK, id, k.ring, 0, 0); err != nil {
		return fmt.Errorf("keyctl unlink: %w", err)
	}
	return nil
}
