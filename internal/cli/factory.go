// Package cli holds the cobra commands of the twofa binary, one file each.
package cli

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
