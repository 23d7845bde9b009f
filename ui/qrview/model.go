package qrview

import (
	"errors"
	"fmt"

	"github.com/charmbracelet/x/ansi"
	"github.com/muesli/termenv"
)

// Model is a QR code view that fits itself into the space it is given.
// Like the bubbles components it is a value: methods return the changed
// copy. Its drawings are cached in the model itself, shared by its copies.
type Model struct {
	uri     string
	dark    bool
	profile termenv.Profile
	flipped bool
	width   int
	height  int
	size    int // modules per side; 0 when err is set
	err     error
	cache   *renders
}

// New returns a view of uri for a terminal with the given colour profile
// (its renderer's ColorProfile) whose background is dark (true) or light
// (false); the background matters only when colours are off.
func New(uri string, dark bool, profile termenv.Profile) Model {
	m := Model{uri: uri, dark: dark, profile: profile, cache: &renders{}}
	m.size, m.err = modules(uri)
	return m
}

// Purge forgets the model's cached drawings (they show the secret), for
// when the screen that holds it is left.
func (m Model) Purge() {
	if m.cache != nil {
		m.cache.purge()
	}
}

// Cached reports how many drawings the model keeps (0 after Purge).
func (m Model) Cached() int {
	if m.cache == nil {
		return 0
	}
	return m.cache.len()
}

// SetSize sets the space available to the QR code, in character cells.
func (m Model) SetSize(w, h int) Model {
	m.width, m.height = w, h
	return m
}

// SetDark records whether the terminal background is dark.
func (m Model) SetDark(dark bool) Model {
	m.dark = dark
	return m
}

// Invert flips the code's polarity, for a terminal or scanner that reads it
// better the other way round.
func (m Model) Invert() Model {
	m.flipped = !m.flipped
	return m
}

// Inverted reports whether the user has flipped the polarity.
func (m Model) Inverted() bool { return m.flipped }

// Err reports why the URI cannot be drawn at all (empty or too long).
func (m Model) Err() error { return m.err }

// Needed reports the cells the code needs with the smallest quiet zone (1).
func (m Model) Needed() (w, h int) {
	if m.err != nil {
		return 0, 0
	}
	return cells(m.size, 1)
}

// Fits reports whether the code fits the size given by SetSize.
func (m Model) Fits() bool { return m.quiet() > 0 }

// quiet picks the widest quiet zone that fits: 2 modules, else 1, else 0
// meaning the code does not fit.
func (m Model) quiet() int {
	if m.err != nil {
		return 0
	}
	for q := 2; q >= 1; q-- {
		if w, h := cells(m.size, q); w <= m.width && h <= m.height {
			return q
		}
	}
	return 0
}

// View returns the QR code, or a short explanation (wrapped to the width)
// when it does not fit or cannot be drawn.
func (m Model) View() string {
	if m.err != nil {
		msg := "This setup link cannot be drawn as a QR code — press k for the manual entry key"
		if errors.Is(m.err, ErrEmpty) {
			msg = "There is no setup link to draw — press k for the manual entry key"
		}
		return m.wrap(msg)
	}
	q := m.quiet()
	if q == 0 {
		w, h := m.Needed()
		return m.wrap(fmt.Sprintf("Terminal too small for the QR code (needs %d×%d) — enlarge it, or press k for the manual entry key", w, h))
	}
	s, err := m.render(q)
	if err != nil {
		return m.wrap("This setup link cannot be drawn as a QR code — press k for the manual entry key")
	}
	return s
}

// render draws the code with quiet zone q, from the cache when it can.
func (m Model) render(q int) (string, error) {
	key := renderKey{quiet: q, inverted: m.inkIsDark(m.profile)}
	if m.cache != nil {
		if s, ok := m.cache.get(key); ok {
			return s, nil
		}
	}
	s, err := Render(m.uri, key.quiet, key.inverted, m.profile)
	if err == nil && m.cache != nil {
		m.cache.put(key, s)
	}
	return s, err
}

// inkIsDark decides Render's inverted argument. With colour the ink is
// painted white, so the code is standard unless the user flipped it.
// Without colour the ink is the terminal's foreground, which is dark on a
// light background: then the ink must stand for the dark modules.
func (m Model) inkIsDark(profile termenv.Profile) bool {
	if profile == termenv.Ascii && !m.dark {
		return !m.flipped
	}
	return m.flipped
}

func (m Model) wrap(s string) string {
	if m.width <= 0 {
		return s
	}
	return ansi.Wrap(s, m.width, "")
}
