package screens

import (
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
)

// quitGuard is a screen that may hold something a quit would lose (new
// backup codes on show): guardQuit asks first and reports true, or reports
// false when the quit may go ahead.
type quitGuard interface {
	guardQuit() bool
}

// codesHolder is a screen that may be showing backup codes not yet saved;
// unsavedCodes is what stderr should say when the program ends there.
type codesHolder interface {
	unsavedCodes() string
}

// fieldFocus is a screen that reports whether a field that takes typed
// text (a code too) has focus, so that q is typed rather than quitting.
// Screens without it are asked Capturing.
type fieldFocus interface {
	typing() bool
}

// quitKey reports whether msg quits here: Ctrl+C always, q only where no
// field has focus.
func (a *App) quitKey(msg tea.KeyMsg) bool {
	km := a.common.KeyMap
	if key.Matches(msg, km.Quit) {
		return true
	}
	return key.Matches(msg, km.QuitQ) && !a.showHelp && !a.typing()
}

// typing reports whether the active screen has a text or code field focused.
func (a *App) typing() bool {
	if f, ok := a.screen.(fieldFocus); ok {
		return f.typing()
	}
	return a.screen.Capturing()
}

// quit ends the program, unless the active screen asks first.
func (a *App) quit() (tea.Model, tea.Cmd) {
	if g, ok := a.screen.(quitGuard); ok && g.guardQuit() {
		a.showHelp = false
		return a, nil
	}
	return a, tea.Quit
}

// UnsavedCodes is the sentence for stderr when the program ended (a
// hang-up, a kill, a confirmed quit) with new backup codes on show that
// were neither copied nor downloaded; "" otherwise.
func (a *App) UnsavedCodes() string {
	if h, ok := a.screen.(codesHolder); ok {
		return h.unsavedCodes()
	}
	return ""
}

// typing: the code field has focus (the pending sign-in's second factor).
func (s *verifyScreen) typing() bool { return true }

// typing: the code field, or the Save to path over the new codes.
func (s *regenerateScreen) typing() bool { return !s.hasCodes || s.codes.capturing() }

// typing: the code field, once past the warning.
func (s *disableScreen) typing() bool { return s.warned }

// typing: the password, the code field, or the Save to path.
func (s *enableScreen) typing() bool { return s.Capturing() || s.step == stepVerify }
