// Package app is the composition root of the twofa binary: one cobra command
// per file, wiring the client, keyring, screens and server.
package app

import (
	"io"
	"os"
)

// IOStreams are the standard streams a command reads and writes, injectable in tests.
type IOStreams struct {
	In     io.Reader
	Out    io.Writer
	ErrOut io.Writer
}

// Factory carries what every command needs from its environment.
type Factory struct {
	IO     IOStreams
	Getenv func(string) string
}

// NewFactory returns a Factory wired to the process's real streams and environment.
func NewFactory() *Factory {
	return &Factory{
		IO:     IOStreams{In: os.Stdin, Out: os.Stdout, ErrOut: os.Stderr},
		Getenv: os.Getenv,
	}
}
