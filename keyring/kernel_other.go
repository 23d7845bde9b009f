//go:build !linux

package keyring

import "errors"

// kernelBackend reports that there is no kernel keyring off Linux.
func kernelBackend() (backend, error) { return nil, errors.New("no kernel keyring on this system") }
