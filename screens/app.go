package screens

import (
	"fmt"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/twofa/twofa/ui"
	"github.com/twofa/twofa/ui/footer"
	"github.com/twofa/twofa/ui/qrview"
	"github.com/twofa/twofa/ui/words"
)

// screen is one page of the app.
type screen interface {
	ui.Component
	// Title names the page (or wizard step) in the header.
	Title() string
	// Capturing reports whether a free-text field has focus, so "?" is
	// typed rather than opening the help.
	Capturing() bool
}

// smallScreen is a screen that can still lay itself out in a terminal below
// ui.MinWidth×ui.MinHeight (w×h is the whole terminal).
type smallScreen interface {
	drawsBelowMinimum(w, h int) bool
}

// App is the root model: it owns the header, the footer and the active
// screen, and switches screens on the navigation messages they send.
type App struct {
	common   ui.Common
	env      *Env
	sess     *session
	screen   screen
	footer   footer.Model
	showHelp bool
}

// Options configures New.
type Options struct {
	// Dark says whether the terminal background is dark.
	Dark bool
	// Now is the clock of every countdown; nil means time.Now.
	Now func() time.Time
	// Words says errors in the front end's terms (which flags to change).
	Words words.Words
}

// New returns the root model. It starts on Sign in, or — when the last user
// of this server has a stored session — tries that session first.
func New(env *Env, opts Options) *App {
	c := ui.NewCommon(opts.Dark, opts.Now)
	c.Words = opts.Words
	env.Dark = opts.Dark
	a := &App{common: c, env: env, sess: &session{username: env.LastUser}, footer: footer.New(c)}
	a.screen = newLogin(c, env, env.LastUser, "", false)
	return a
}

// Init enters the alternate screen and starts the first screen.
func (a *App) Init() tea.Cmd {
	if a.env.Store != nil && a.env.LastUser != "" && a.env.Demo == nil {
		s, cmd := newResuming(a.common, a.env, a.env.LastUser)
		a.screen = s
		return cmd
	}
	return a.screen.Init()
}

// bodySize is the space the screen gets: all but the header and footer rows
// and a one-column margin on each side.
func (a *App) bodySize() (int, int) {
	return max(0, a.common.Width-2), max(0, a.common.Height-2)
}

// show makes s the active screen, sized, and returns its Init command.
func (a *App) show(s screen) tea.Cmd {
	if _, was := a.screen.(*enableScreen); was {
		// The wizard is over (done, cancelled or the session ended): its
		// QR renders hold the secret.
		qrview.Purge()
	}
	a.screen = s
	a.showHelp = false
	s.SetSize(a.bodySize())
	return s.Init()
}

// Update routes messages: window size and global keys here, navigation
// messages switch screens, everything else goes to the active screen.
func (a *App) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		a.common.SetSize(msg.Width, msg.Height)
		a.footer = a.footer.SetWidth(max(0, msg.Width-2))
		a.screen.SetSize(a.bodySize())
		return a, nil
	case tea.KeyMsg:
		if msg.Type == tea.KeyRunes && len(msg.Runes) > 1 && !msg.Paste {
			// Fast typing arrives as one message ("nd"); take it key by
			// key so single-key actions and answers still match.
			return a.splitRunes(msg)
		}
		km := a.common.KeyMap
		if key.Matches(msg, km.Quit) {
			return a, tea.Quit
		}
		a.footer = a.footer.SetStatus("")
		if a.showHelp {
			if key.Matches(msg, km.Help, km.Back) {
				a.showHelp = false
			}
			return a, nil
		}
		if key.Matches(msg, km.Help) && !a.screen.Capturing() {
			a.showHelp = true
			return a, nil
		}
	case needSecondFactorMsg:
		a.sess.username = msg.username
		return a, a.show(newVerify(a.common, a.env, msg))
	case signedInMsg:
		a.sess.username, a.sess.signedIn = msg.username, true
		a.env.Tokens.Set(msg.token)
		return a, tea.Batch(saveSessionCmd(a.env, msg.username, msg.token, msg.portal), a.show(newSecurity(a.common, a.env, a.sess, "", msg.viaCode)))
	case resumedMsg:
		a.sess.username, a.sess.signedIn = msg.username, true
		a.sess.setStorage(msg.storage, a.common.Words)
		return a, a.show(newSecurity(a.common, a.env, a.sess, "", false))
	case sessionSavedMsg:
		a.sess.setStorage(msg.storage, a.common.Words)
		if msg.err != nil {
			a.footer = a.footer.SetStatus("Could not store the session for next time: " + a.common.Words.Error(msg.err))
		}
		return a, nil
	case backToLoginMsg:
		a.sess.signedIn = false
		return a, a.show(newLogin(a.common, a.env, msg.username, msg.notice, msg.bad))
	case backToSecurityMsg:
		return a, a.show(newSecurity(a.common, a.env, a.sess, msg.notice, false))
	case openEnableMsg:
		return a, a.show(newEnable(a.common, a.env, a.sess))
	case openRegenerateMsg:
		return a, a.show(newRegenerate(a.common, a.env, a.sess))
	case openDisableMsg:
		return a, a.show(newDisable(a.common, a.env))
	case logoutMsg:
		a.footer = a.footer.SetStatus("Signing out…")
		return a, logoutCmd(a.env, a.sess.username)
	case loggedOutMsg:
		a.sess.signedIn = false
		a.footer = a.footer.SetStatus("")
		if msg.err != nil {
			return a, a.show(newLogin(a.common, a.env, msg.username, "Signed out here, but: "+a.common.Words.Error(msg.err), true))
		}
		l := newLogin(a.common, a.env, msg.username, "Signed out.", false)
		if msg.unrevoked {
			l.warning = words.Unrevoked("", "", msg.validUntil)
		}
		return a, a.show(l)
	case sessionEndedMsg:
		user := a.sess.username
		a.sess.signedIn = false
		return a, tea.Batch(forgetSessionCmd(a.env, user), a.show(newLogin(a.common, a.env, user, words.SessionEnded, true)))
	case forgetDoneMsg:
		return a, nil
	case statusMsg:
		a.footer = a.footer.SetStatus(msg.text)
		return a, nil
	}
	m, cmd := a.screen.Update(msg)
	if s, ok := m.(screen); ok {
		a.screen = s
	}
	return a, cmd
}

// splitRunes feeds a multi-rune key message to Update one rune at a time.
func (a *App) splitRunes(msg tea.KeyMsg) (tea.Model, tea.Cmd) {
	cmds := make([]tea.Cmd, 0, len(msg.Runes))
	for _, r := range msg.Runes {
		_, cmd := a.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{r}, Alt: msg.Alt})
		cmds = append(cmds, cmd)
	}
	return a, tea.Batch(cmds...)
}

// View draws header, body and footer — or, below the minimum size, only
// the note asking for a larger terminal.
func (a *App) View() string {
	w, h := a.common.Width, a.common.Height
	if w == 0 || h == 0 {
		return ""
	}
	if a.common.TooSmall() && !a.screenDrawsSmall() {
		return a.tooSmallView()
	}
	bw, bh := a.bodySize()
	var body string
	if a.showHelp {
		body = a.common.Styles.Title.Render("Keys") + "\n\n" + a.footer.FullHelp(a.screen) + "\n\n" + a.common.Styles.Subtle.Render("? or esc to close")
	} else {
		body = a.screen.View()
	}
	body = lipgloss.NewStyle().Width(bw).Height(bh).MaxHeight(bh).MaxWidth(bw).Render(strings.TrimRight(body, "\n"))
	body = lipgloss.NewStyle().PaddingLeft(1).Render(body)
	foot := " " + a.footer.View(a.screen)
	return lipgloss.JoinVertical(lipgloss.Left, a.headerView(), body, foot)
}

// screenDrawsSmall reports whether the active screen can be drawn at the
// current size although it is below the minimum.
func (a *App) screenDrawsSmall() bool {
	s, ok := a.screen.(smallScreen)
	return ok && !a.showHelp && s.drawsBelowMinimum(a.common.Width, a.common.Height)
}

func (a *App) headerView() string {
	st := a.common.Styles.Header
	w := a.common.Width
	left := st.Brand.Render(" twofa ") + st.Info.Render(" "+a.env.Server())
	if a.sess.signedIn {
		left += st.Info.Render(" · " + a.sess.username)
	}
	right := st.Right.Render(a.screen.Title() + " ")
	gap := w - lipgloss.Width(left) - lipgloss.Width(right)
	if gap < 1 {
		// Narrow: the title wins, the server is cut.
		left = lipgloss.NewStyle().MaxWidth(max(0, w-lipgloss.Width(right)-1)).Render(left)
		gap = max(0, w-lipgloss.Width(left)-lipgloss.Width(right))
	}
	return left + st.Bar.Render(strings.Repeat(" ", gap)) + right
}

func (a *App) tooSmallView() string {
	w, h := a.common.Width, a.common.Height
	msg := fmt.Sprintf("Terminal too small: %d×%d.\nEnlarge the terminal to at least %d×%d.", w, h, ui.MinWidth, ui.MinHeight)
	msg = a.common.Styles.TooSmall.Width(max(1, w-2)).Align(lipgloss.Center).Render(msg)
	return lipgloss.Place(w, h, lipgloss.Center, lipgloss.Center, msg)
}
