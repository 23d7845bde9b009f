package screens

import (
	"context"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/twofa/twofa/session"
	"github.com/twofa/twofa/ui"
	"github.com/twofa/twofa/ui/clipboard"
	"github.com/twofa/twofa/ui/footer"
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
	// Leave is called once, when the app replaces the screen: it drops
	// what must not outlive the screen (a QR code's drawings, codes, a
	// pending token).
	Leave()
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
	cur      *current
	screen   screen
	footer   footer.Model
	showHelp bool
	// held are keys typed while the screen waited for an answer.
	held []tea.KeyMsg
}

// Options configures New.
type Options struct {
	// Renderer draws for this program's terminal; every style comes from
	// it, so programs on different terminals (one per SSH connection) each
	// pass their own. nil means a renderer on standard output.
	Renderer *lipgloss.Renderer
	// Dark says whether the terminal background is dark.
	Dark bool
	// Now is the clock of every countdown; nil means time.Now.
	Now func() time.Time
	// Words says errors in the front end's terms (which flags to change).
	Words words.Words
	// Terminal is the person's terminal when it is not this process's
	// (clipboard.Remote: an SSH connection): copies go to it, and Download
	// .txt is not offered, for this machine's disk is not the person's.
	Terminal clipboard.Terminal
}

// New returns the root model. It starts on Sign in, or — when the last user
// of this server has a stored session — tries that session first.
func New(env *Env, opts Options) *App {
	r := opts.Renderer
	if r == nil {
		r = lipgloss.NewRenderer(os.Stdout)
	}
	c := ui.NewCommon(r, opts.Dark, opts.Now)
	c.Words = opts.Words
	c.SetTerminal(opts.Terminal)
	user := env.firstUser()
	a := &App{common: c, env: env, cur: &current{Session: session.Session{User: user}}, footer: footer.New(c)}
	a.screen = newLogin(c, env, user, "", false)
	return a
}

// Init enters the alternate screen and starts the first screen.
func (a *App) Init() tea.Cmd {
	if a.cur.User != "" && a.env.Demo == nil {
		s, cmd := newResuming(a.common, a.env, a.cur.User)
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

// show makes s the active screen, sized, and returns its Init command; the
// screen it replaces is left first.
func (a *App) show(s screen) tea.Cmd {
	a.screen.Leave()
	a.screen = s
	a.showHelp = false
	a.held = nil
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
		if a.quitKey(msg) {
			return a.quit()
		}
		a.footer = a.footer.SetStatus("")
		if a.showHelp {
			if key.Matches(msg, km.Help, km.Back) {
				a.showHelp = false
			}
			return a, nil
		}
		if a.holdKey(msg) {
			return a, nil
		}
		if key.Matches(msg, km.Help) && !a.screen.Capturing() {
			a.showHelp = true
			return a, nil
		}
	}
	if cmd, ok := a.route(msg); ok {
		return a, cmd
	}
	m, cmd := a.screen.Update(msg)
	if s, ok := m.(screen); ok {
		a.screen = s
	}
	return a, a.replayHeld(cmd)
}

// route handles the navigation and session messages: the one place the
// app's session changes. ok is false for a message that is the screen's.
func (a *App) route(msg tea.Msg) (cmd tea.Cmd, ok bool) {
	switch msg := msg.(type) {
	case needSecondFactorMsg:
		a.cur.Session = session.Session{User: msg.pending.User}
		return a.show(newVerify(a.common, a.env, msg)), true
	case signedInMsg:
		a.cur.Session = msg.session
		sec := newSecurity(a.common, a.env, a.cur, "", msg.viaCode)
		sec.autoEnrol = true
		return tea.Batch(saveSessionCmd(a.env, msg.session), a.show(sec)), true
	case resumedMsg:
		a.cur.Session = msg.session
		a.cur.setStorage(msg.storage, a.common.Words)
		sec := newSecurity(a.common, a.env, a.cur, "", false)
		sec.autoEnrol = true
		return a.show(sec), true
	case sessionSavedMsg:
		a.cur.setStorage(msg.storage, a.common.Words)
		if msg.err != nil {
			a.footer = a.footer.SetStatus("Could not store the session for next time: " + a.common.Words.Error(msg.err))
		}
		return nil, true
	case serverDownMsg:
		return a.show(newUnreachable(a.common, a.env, msg)), true
	case backToLoginMsg:
		a.cur.Session = session.Session{User: msg.username}
		return a.show(newLogin(a.common, a.env, msg.username, msg.notice, msg.bad)), true
	case backToSecurityMsg:
		return a.show(newSecurity(a.common, a.env, a.cur, msg.notice, false)), true
	case openEnableMsg:
		return a.show(newEnable(a.common, a.env, a.cur)), true
	case openRegenerateMsg:
		return a.show(newRegenerate(a.common, a.env, a.cur)), true
	case openDisableMsg:
		return a.show(newDisable(a.common, a.env, a.cur)), true
	case logoutMsg:
		a.footer = a.footer.SetStatus("Signing out…")
		return logoutCmd(context.Background(), a.env, a.cur.Session), true
	case loggedOutMsg:
		a.cur.Session = session.Session{User: msg.username}
		a.footer = a.footer.SetStatus("")
		return a.show(a.signedOut(msg)), true
	case sessionEndedMsg:
		user := a.cur.User
		a.cur.Session = session.Session{User: user}
		return tea.Batch(forgetSessionCmd(a.env, user), a.show(newLogin(a.common, a.env, user, words.SessionEnded, true))), true
	case forgetDoneMsg:
		return nil, true
	case lockSeenMsg:
		a.cur.lockedUntil = msg.until
		return nil, true
	case statusMsg:
		a.footer = a.footer.SetStatus(msg.text)
		return nil, true
	}
	return nil, false
}

// signedOut is Sign in after a logout, saying what the server did with the
// session: ended it, cannot end it (and until when it stays valid), or
// refused (it is deleted here all the same).
func (a *App) signedOut(msg loggedOutMsg) *loginScreen {
	err := msg.out.RevokeErr // the server's refusal says more than a local failure
	if err == nil {
		err = msg.err
	}
	if err != nil {
		return newLogin(a.common, a.env, msg.username, "Signed out here, but: "+a.common.Words.Error(err), true)
	}
	l := newLogin(a.common, a.env, msg.username, "Signed out.", false)
	if msg.out.Unrevocable {
		l.warning = words.Unrevoked("", "", msg.out.ValidUntil)
	}
	return l
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
	plain := a.common.Styles.Plain
	body = plain.Width(bw).Height(bh).MaxHeight(bh).MaxWidth(bw).Render(strings.TrimRight(body, "\n"))
	body = plain.PaddingLeft(1).Render(body)
	foot := " " + a.footer.View(a.screen)
	return ui.TrimLines(lipgloss.JoinVertical(lipgloss.Left, a.headerView(), body, foot))
}

// screenDrawsSmall reports whether the active screen can be drawn at the
// current size although it is below the minimum.
func (a *App) screenDrawsSmall() bool {
	s, ok := a.screen.(smallScreen)
	return ok && !a.showHelp && s.drawsBelowMinimum(a.common.Width, a.common.Height)
}

func (a *App) headerView() string {
	user := ""
	if a.cur.SignedIn() {
		user = a.cur.User
	}
	return a.common.Header(a.common.Width, a.env.Server(), user, a.screen.Title())
}

func (a *App) tooSmallView() string {
	w, h := a.common.Width, a.common.Height
	msg := fmt.Sprintf("Terminal too small: %d×%d.\nEnlarge it to at least %d×%d.", w, h, ui.MinWidth, ui.MinHeight)
	msg = a.common.Styles.TooSmall.Width(max(1, w-2)).Align(lipgloss.Center).Render(msg)
	return a.common.Renderer.Place(w, h, lipgloss.Center, lipgloss.Center, msg)
}
