// Package ui is the leaf toolkit the screens share: the Common value every
// screen carries (size, styles, keys, clock), the styles, the key map and
// small helpers. It imports no screen.
package ui

import (
	"time"

	"github.com/twofa/twofa/ui/words"
)

// MinWidth is the narrowest terminal the screens are laid out for.
const MinWidth = 60

// MinHeight is the shortest terminal the screens are laid out for; the QR
// step needs more and falls back to the manual entry key on its own.
const MinHeight = 20

// Common is carried by every screen and component: the terminal size, the
// styles, the key map, the clock and the words.
type Common struct {
	Width  int
	Height int
	Styles *Styles
	KeyMap *KeyMap
	// Now is the clock every countdown reads; tests inject a fixed one.
	Now func() time.Time
	// Words says errors and outcomes in the terms of the front end.
	Words words.Words
}

// NewCommon returns a Common with styles for the given background, the
// default key map and now as its clock (time.Now when nil).
func NewCommon(dark bool, now func() time.Time) Common {
	if now == nil {
		now = time.Now
	}
	return Common{
		Styles: DefaultStyles(dark),
		KeyMap: DefaultKeyMap(),
		Now:    now,
	}
}

// SetSize records the terminal size.
func (c *Common) SetSize(width, height int) {
	c.Width = width
	c.Height = height
}

// TooSmall reports whether the terminal is below MinWidth x MinHeight.
func (c Common) TooSmall() bool {
	return c.Width < MinWidth || c.Height < MinHeight
}
