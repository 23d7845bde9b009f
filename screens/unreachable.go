package screens

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/twofa/twofa/client"
	"github.com/twofa/twofa/ui"
	"github.com/twofa/twofa/ui/words"
)

// retryBackoff is the wait before each automatic retry; the last repeats.
var retryBackoff = []time.Duration{2 * time.Second, 4 * time.Second, 8 * time.Second, 16 * time.Second, 30 * time.Second}

// serverDownMsg: the stored session could not be checked because the
// server did not answer; it is kept, and the app waits for the server.
type serverDownMsg struct {
	username string
	err      error
}

// unreachable reports whether err means the server could not be reached
// or did not answer usefully (nothing listens, a timeout, a proxy's 502),
// so trying again later may work; a TLS or address problem will not.
func unreachable(err error) bool {
	var tr *client.TransportError
	if errors.As(err, &tr) {
		switch tr.Kind {
		case client.KindRefused, client.KindDNS, client.KindTimeout, client.KindNetwork, client.KindBadResponse:
			return true
		}
		return false
	}
	var api *client.APIError
	if errors.As(err, &api) {
		return api.Status >= 500
	}
	return errors.Is(err, context.DeadlineExceeded)
}

// unreachableScreen is "Cannot reach the server": the stored session is
// kept and tried again, automatically with a growing wait or at once with
// r, until the server answers; esc signs in by hand instead.
type unreachableScreen struct {
	common   ui.Common
	env      *Env
	user     string
	err      error
	attempts int       // failed tries so far
	next     time.Time // the next automatic try
	tag      int
	busy     ui.Busy
}

func newUnreachable(c ui.Common, env *Env, msg serverDownMsg) *unreachableScreen {
	return &unreachableScreen{common: c, env: env, user: msg.username, err: msg.err, attempts: 1, tag: c.NextTag(), busy: ui.NewBusy(c.Styles)}
}

func (s *unreachableScreen) Title() string    { return "Cannot reach server" }
func (s *unreachableScreen) Leave()           {}
func (s *unreachableScreen) Capturing() bool  { return false }
func (s *unreachableScreen) SetSize(w, h int) { s.common.SetSize(w, h) }

// Init schedules the first automatic try.
func (s *unreachableScreen) Init() tea.Cmd { return s.schedule() }

// schedule sets the next try after the back-off for the attempts so far
// and starts the once-a-second tick that counts down to it.
func (s *unreachableScreen) schedule() tea.Cmd {
	wait := retryBackoff[min(s.attempts, len(retryBackoff))-1]
	s.next = s.common.Now().Add(wait)
	return ui.Tick(s.tag)
}

// retry tries the stored session again now.
func (s *unreachableScreen) retry() tea.Cmd {
	s.next = time.Time{}
	tick := s.busy.Start("Trying " + s.env.Server() + " again…")
	return tea.Batch(tick, resumeCmd(s.busy.Context(), s.env, s.user))
}

func (s *unreachableScreen) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	km := s.common.KeyMap
	switch msg := msg.(type) {
	case ui.TickMsg:
		if msg.Tag != s.tag || s.next.IsZero() {
			return s, nil
		}
		if !s.common.Now().Before(s.next) {
			return s, s.retry()
		}
		return s, ui.Tick(s.tag)
	case resumeDoneMsg:
		s.busy.Stop()
		switch {
		case msg.ok:
			return s, send(resumedMsg(msg))
		case msg.ended:
			return s, send(backToLoginMsg{username: s.user, notice: words.SavedSessionEnded, bad: true})
		case msg.err != nil && !unreachable(msg.err):
			return s, send(backToLoginMsg{username: s.user, notice: "✗ " + s.common.Words.Error(msg.err), bad: true})
		}
		s.err = msg.err
		s.attempts++
		return s, s.schedule()
	case tea.KeyMsg:
		if s.busy.Active() {
			if key.Matches(msg, km.Back) {
				s.busy.Stop()
				return s, s.schedule()
			}
			return s, nil
		}
		switch {
		case key.Matches(msg, km.Retry):
			return s, s.retry()
		case key.Matches(msg, km.Back):
			return s, send(backToLoginMsg{username: s.user, notice: "Your saved session is kept for when the server answers."})
		}
	}
	var cmd tea.Cmd
	s.busy, cmd = s.busy.Update(msg)
	return s, cmd
}

func (s *unreachableScreen) View() string {
	st := s.common.Styles
	w := s.common.TextWidth()
	var b strings.Builder
	b.WriteString(st.Title.Render("Cannot reach the server") + "\n")
	b.WriteString(st.Subtle.Render(s.env.Server()) + "\n\n")
	b.WriteString(st.Text.Width(w).Render(s.common.Words.Error(s.err)) + "\n\n")
	b.WriteString(st.Text.Width(w).Render("Your saved session for "+s.user+" is kept: once the server answers, you are back where you were, with no new sign-in.") + "\n\n")
	switch {
	case s.busy.Active():
		b.WriteString(s.busy.View() + "\n")
	case !s.next.IsZero():
		left := s.next.Sub(s.common.Now())
		b.WriteString(st.Subtle.Render("Trying again in "+words.Countdown(left)+" ("+words.Plural(s.attempts, "attempt")+" so far).") + "\n")
	}
	b.WriteString("\n" + st.Key.Render("r") + "    Try again now\n")
	b.WriteString(st.Key.Render("esc") + "  Sign in by hand instead\n")
	b.WriteString(st.Key.Render("q") + "    Quit\n")
	return b.String()
}

func (s *unreachableScreen) ShortHelp() []key.Binding {
	km := s.common.KeyMap
	return []key.Binding{km.Retry, ui.Relabel(km.Back, "sign in instead"), km.QuitQ}
}

func (s *unreachableScreen) FullHelp() [][]key.Binding {
	return [][]key.Binding{s.ShortHelp()}
}
