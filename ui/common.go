// Package ui is the leaf toolkit the screens share: the Common value every
// screen carries (size, renderer and styles, keys, clock, words), the
// styles, the key map and small helpers. It imports no screen, and holds no
// package-level state: everything one program needs lives in its Common,
// so one process can run several programs (one per SSH connection) at once.
package ui

import (
	"io"
	"time"

	"github.com/charmbracelet/lipgloss"
	"github.com/twofa/twofa/ui/clipboard"
	"github.com/twofa/twofa/ui/words"
)

// MinWidth is the narrowest terminal the screens are laid out for.
const MinWidth = 60

// MinHeight is the shortest terminal the screens are laid out for; the QR
// step needs more and falls back to the manual entry key on its own.
const MinHeight = 20

// Common is carried by every screen and component of one program: the
// terminal size, the renderer every style is built from, the styles, the
// key map, the clock, the words and the program's source of tick tags.
// Copies share the renderer, styles, key map and tag source.
type Common struct {
	Width  int
	Height int
	// Renderer draws for this program's terminal: its colour profile and
	// background. Every style in Styles comes from it.
	Renderer *lipgloss.Renderer
	// Dark says whether the terminal background is dark.
	Dark   bool
	Styles *Styles
	KeyMap *KeyMap
	// Now is the clock every countdown reads; tests inject a fixed one.
	Now func() time.Time
	// Words says errors and outcomes in the terms of the front end.
	Words words.Words
	// Terminal is the person's terminal: this process's own (the zero
	// value), or one on another machine (an SSH connection) that copies
	// reach through the program's output.
	Terminal clipboard.Terminal
	tags     *tagSource
}

// Remote reports whether the person sits at another machine (SSH): then
// this machine's disk is not theirs, and nothing is saved on it for them.
func (c Common) Remote() bool { return c.Terminal.IsRemote() }

// SetTerminal records the person's terminal; a remote one turns Download
// .txt off in this program's key map (its help and keys alike).
func (c *Common) SetTerminal(t clipboard.Terminal) {
	c.Terminal = t
	c.KeyMap.Download.SetEnabled(!t.IsRemote())
}

// NewCommon returns the Common of a program drawing through r (nil: plain
// text, no colours) on a dark or light background, with the default key
// map and now as its clock (time.Now when nil).
func NewCommon(r *lipgloss.Renderer, dark bool, now func() time.Time) Common {
	if r == nil {
		r = lipgloss.NewRenderer(io.Discard)
	}
	if now == nil {
		now = time.Now
	}
	return Common{
		Renderer: r,
		Dark:     dark,
		Styles:   DefaultStyles(r, dark),
		KeyMap:   DefaultKeyMap(),
		Now:      now,
		tags:     &tagSource{},
	}
}

// ProseWidth is the widest measure running text (paragraphs, notes, errors)
// is wrapped to, however wide the terminal: longer lines are hard to read.
const ProseWidth = 78

// TextWidth is the width running text wraps to: the body's width, at most
// ProseWidth. Layouts that use the whole width (tables, the QR code beside
// its column, header and footer) take Width instead.
func (c Common) TextWidth() int { return min(c.Width, ProseWidth) }

// SetSize records the terminal size.
func (c *Common) SetSize(width, height int) {
	c.Width = width
	c.Height = height
}

// TooSmall reports whether the terminal is below MinWidth x MinHeight.
func (c Common) TooSmall() bool {
	return c.Width < MinWidth || c.Height < MinHeight
}

// NextTag returns a tick tag no other countdown of this program uses. Like
// everything a model does, it runs on the program's Update goroutine.
func (c Common) NextTag() int { return c.tags.next() }
