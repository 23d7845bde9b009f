// Package nobgquery stops Bubble Tea v1's init from asking the terminal
// its background colour (OSC 11 and a cursor report, through lipgloss's
// default renderer) in every twofa command: `twofa status --json` on a
// terminal must write its JSON and nothing else. Its init sets the default
// renderer's background explicitly, so that question is never sent; the
// terminal UI asks itself, just before it starts (internal/app).
//
// It is a module of its own, early.invalid/nobgquery, only for its import
// path: Go initialises packages in import-path order among those whose
// imports are ready (the spec, since Go 1.21), and this path sorts before
// github.com/charmbracelet/bubbletea, so this init runs right after
// lipgloss's and before Bubble Tea's. main imports it for that effect.
package nobgquery

import "github.com/charmbracelet/lipgloss"

func init() {
	// The value is never used for drawing: every program's renderer is
	// its own, with the background twofa detected or was told.
	lipgloss.SetHasDarkBackground(true)
}
