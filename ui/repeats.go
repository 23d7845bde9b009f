package ui

import "github.com/twofa/twofa/ui/words"

// Repeats counts a message said again in a row, so a screen's error line
// changes when the same refusal comes back (words.Again).
type Repeats struct {
	last string
	n    int
}

// Say returns text as the error line shows it: with its count when it is
// the same as the last text said.
func (r *Repeats) Say(text string) string {
	if text == r.last {
		r.n++
	} else {
		r.last, r.n = text, 1
	}
	return words.Again(text, r.n)
}

// Reset forgets the last text: the next one is said as new.
func (r *Repeats) Reset() { r.last, r.n = "", 0 }
