package screens

import (
	"strings"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
	"github.com/twofa/twofa/ui"
	"github.com/twofa/twofa/ui/qrview"
)

// The enable wizard's QR step (step 2): the QR code with the side column,
// its compact form below the app's minimum size, and the manual entry key.

// Notes the QR step shows in both of its layouts.
const (
	clockNote      = "Codes depend on your phone's clock: it must be right to within 30 seconds."
	setupLinkLabel = "Setup link (for password managers):"
)

// qrSideWidth is the width of the text column beside the QR code;
// qrSideMin is how narrow it gets so that the code fits beside it.
const (
	qrSideWidth = 32
	qrSideMin   = 21
)

// The QR step (and its manual entry key) is drawn down to this terminal
// size, below the app's minimum: a small window then shows why the code
// does not fit and how to get the key instead of only "enlarge".
const (
	qrStepMinWidth  = 30
	qrStepMinHeight = 10
)

// compact reports whether the body is smaller than the app's minimum, so
// the QR step stacks its parts instead of setting them side by side.
func (s *enableScreen) compact() bool {
	return s.common.Width < ui.MinWidth-2 || s.common.Height < ui.MinHeight-2
}

// sizeQR gives the QR code the space the layout leaves it: beside the
// side column, or under the one-line title when compact.
func (s *enableScreen) sizeQR(qr qrview.Model) qrview.Model {
	if s.compact() {
		return qr.SetSize(s.common.Width, s.common.Height-1)
	}
	return qr.SetSize(s.common.Width-s.sideWidth(qr)-2, s.common.Height)
}

// sideWidth is the text column's width beside qr: qrSideWidth, or less
// (down to qrSideMin) when that is what lets the code fit beside it.
func (s *enableScreen) sideWidth(qr qrview.Model) int {
	need, _ := qr.Needed()
	if room := s.common.Width - 2 - need; room < qrSideWidth && room >= qrSideMin {
		return room
	}
	return qrSideWidth
}

// drawsBelowMinimum lets the app draw the QR step (code, fallback note or
// manual entry key) in a terminal below its minimum size, down to
// qrStepMinWidth×qrStepMinHeight.
func (s *enableScreen) drawsBelowMinimum(w, h int) bool {
	return s.step == stepQR && s.setup != nil && w >= qrStepMinWidth && h >= qrStepMinHeight
}

// qrStepView is the QR step: the code (or the manual key) beside a column
// that says what to do, or the compact form in a small terminal.
func (s *enableScreen) qrStepView() string {
	if s.compact() {
		return s.qrCompactView()
	}
	st := s.common.Styles
	sideW := s.sideWidth(s.qr)
	var side strings.Builder
	// The header says "Step 2 of 5"; the column says what the step is.
	title, intro := "Scan the QR code", "Scan this QR code with your authenticator app."
	if s.showKey {
		title, intro = "Type the key", "Type this key into your authenticator app."
	}
	side.WriteString(st.Title.Render(title) + "\n")
	side.WriteString(st.Text.Width(sideW).Render(intro) + "\n\n")
	// An issuer or account too long to follow its label goes under it,
	// wrapped inside the column, never over the code.
	for _, f := range [][2]string{{"Issuer   ", s.issuer}, {"Account  ", s.account}} {
		label := st.Label.Render(f[0])
		if lipgloss.Width(f[0]+f[1]) > sideW {
			label = st.Label.Render(strings.TrimSpace(f[0])) + "\n"
		}
		side.WriteString(label + st.Value.Width(sideW).Render(f[1]) + "\n")
	}
	side.WriteString("\n")
	keyLabel := "Show manual entry key"
	if sideW < qrSideWidth {
		keyLabel = "Show the key" // the narrow column's words
	}
	if s.showKey {
		keyLabel = "Show QR code"
	}
	side.WriteString(st.Key.Render("k") + "      " + keyLabel + "\n")
	side.WriteString(st.Key.Render("c") + "      Copy key\n")
	// The key view shows the setup link, and has no QR code to invert.
	if s.showKey {
		link := "Copy setup link"
		if sideW < qrSideWidth {
			link = "Copy link"
		}
		side.WriteString(st.Key.Render("u") + "      " + link + "\n")
	} else {
		side.WriteString(st.Key.Render("i") + "      Invert colours\n")
	}
	side.WriteString(st.Key.Render("enter") + "  Next\n\n")
	side.WriteString(st.Subtle.Width(sideW).Render(clockNote) + "\n")
	if d := driftWarning(s.env.clock()); d != "" {
		side.WriteString(st.Warning.Width(sideW).Render(d) + "\n")
	}
	if s.note != "" {
		side.WriteString("\n" + st.Success.Width(sideW).Render(s.note) + "\n")
	}
	left := s.qr.View()
	if s.showKey {
		left = s.manualKeyView(s.common.Width - sideW - 2)
	}
	// The column follows the code (or key) two cells after it, however
	// wide the terminal, rather than at its right edge.
	leftW := min(s.common.Width-sideW-2, lipgloss.Width(left))
	return lipgloss.JoinHorizontal(lipgloss.Top, st.Plain.Width(leftW).Render(left), "  ", side.String())
}

// keyFacts is what an app asks besides the key, in one sentence.
const keyFacts = "Time-based (TOTP), 6 digits every 30 seconds, SHA-1"

// qrCompactView is the QR step below the app's minimum size: a one-line
// title, then the QR code (or why it does not fit) or the manual entry
// key; the copy note, the clock note and the setup link follow where they fit.
func (s *enableScreen) qrCompactView() string {
	st := s.common.Styles
	w, h := s.common.Width, s.common.Height
	var main string
	if s.showKey {
		var b strings.Builder
		b.WriteString(st.Title.Render("Manual entry key") + "\n")
		b.WriteString(s.keyLines())
		b.WriteString(st.Text.Width(w).Render(keyFacts))
		main = b.String()
	} else {
		main = st.Title.Render("Scan the QR code") + "\n" + strings.TrimRight(s.qr.View(), "\n")
	}
	out := main
	extras := []string{}
	if s.note != "" {
		extras = append(extras, st.Success.Width(w).Render(s.note))
	}
	extras = append(extras, st.Subtle.Width(w).Render(clockNote))
	if s.showKey {
		extras = append(extras, st.Subtle.Render(setupLinkLabel)+"\n"+s.linkLine(w))
	}
	for _, e := range extras {
		next := out + "\n\n" + e
		if lipgloss.Height(next) > h {
			break
		}
		out = next
	}
	return out + "\n"
}

// manualKeyView is the manual entry key with what an app asks besides it
// and the setup link, in the place of the QR code.
func (s *enableScreen) manualKeyView(w int) string {
	st := s.common.Styles
	var b strings.Builder
	b.WriteString(st.Title.Render("Manual entry key") + "\n\n")
	b.WriteString(s.keyLines())
	if lipgloss.Width("Digits    6, every 30 seconds") <= w {
		b.WriteString("\n" + st.Label.Render("Type      ") + "Time-based (TOTP)\n")
		b.WriteString(st.Label.Render("Digits    ") + "6, every 30 seconds\n")
		b.WriteString(st.Label.Render("Algorithm ") + "SHA-1\n\n")
	} else {
		// Too narrow for the table: its values would wrap under the labels.
		b.WriteString("\n" + st.Text.Width(w).Render(keyFacts) + "\n\n")
	}
	b.WriteString(st.Subtle.Render(setupLinkLabel) + "\n")
	b.WriteString(s.linkLine(w) + "\n")
	return b.String()
}

// linkLine is the setup link on one line, never broken (a link broken over
// lines does not copy as one): cut with an ellipsis when it is wider than
// w, with u to copy it whole.
func (s *enableScreen) linkLine(w int) string {
	st := s.common.Styles
	uri := s.setup.OTPAuthURL
	if ansi.StringWidth(uri) <= w {
		return st.Text.Render(uri)
	}
	return st.Text.Render(ansi.Truncate(uri, max(1, w-1), "…")) + "\n" + st.Subtle.Render("u copies it whole")
}

// keyLines is the secret as typed by hand: groups of four, four to a line.
func (s *enableScreen) keyLines() string {
	st := s.common.Styles
	groups := strings.Fields(qrview.GroupKey(s.setup.Secret))
	var b strings.Builder
	for i := 0; i < len(groups); i += 4 {
		b.WriteString(st.Value.Render(strings.Join(groups[i:min(i+4, len(groups))], " ")) + "\n")
	}
	return b.String()
}
