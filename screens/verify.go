package screens

import (
	"context"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/twofa/twofa/session"
	"github.com/twofa/twofa/ui"
	"github.com/twofa/twofa/ui/words"
)

// pendingTTL is how long a pending (half signed-in) token lives.
const pendingTTL = 5 * time.Minute

// verifyScreen is "Two-Factor Authentication": the second factor of a
// sign-in, with the pending sign-in's time left and any lockout counting down.
type verifyScreen struct {
	common  ui.Common
	env     *Env
	pending session.Pending
	expires time.Time
	entry   codeEntry
	busy    ui.Busy
}

func newVerify(c ui.Common, env *Env, msg needSecondFactorMsg) *verifyScreen {
	s := &verifyScreen{
		common:  c,
		env:     env,
		pending: msg.pending,
		expires: msg.started.Add(pendingTTL),
		entry:   newCodeEntry(c, true),
		busy:    ui.NewBusy(c.Styles),
	}
	s.entry.always = true // "This sign-in expires in 4:55" counts down
	return s
}

func (s *verifyScreen) Title() string { return "Two-Factor Authentication" }

// Leave drops the pending token.
func (s *verifyScreen) Leave() { s.pending.Token = "" }

func (s *verifyScreen) Capturing() bool { return s.entry.backup() }
func (s *verifyScreen) SetSize(w, h int) {
	s.common.SetSize(w, h)
}
func (s *verifyScreen) Init() tea.Cmd { return s.entry.startTicking() }

func (s *verifyScreen) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	now := s.common.Now()
	if t, ok := msg.(ui.TickMsg); ok && s.entry.ownTick(t) && !now.Before(s.expires) {
		return s, send(backToLoginMsg{username: s.pending.User, notice: words.SignInExpiredAfter(pendingTTL), bad: true})
	}
	if cmd, ok := s.entry.handle(msg, now, &s.busy); ok {
		return s, cmd
	}
	switch msg := msg.(type) {
	case validateDoneMsg:
		s.entry.answered(&s.busy)
		if msg.err == nil {
			return s, send(signedInMsg{session: msg.session, viaCode: msg.backup})
		}
		out := explainCodeError(msg.err, now, s.env.clock(), msg.backup, s.common.Words)
		if out.expired || out.ended {
			// A pending sign-in the server no longer knows is as good as expired.
			return s, send(backToLoginMsg{username: s.pending.User, notice: words.SignInExpired, bad: true})
		}
		s.entry.hint = unlockHint(s.env)
		return s, s.entry.refuse(out, now)
	case tea.KeyMsg:
		km := s.common.KeyMap
		switch {
		case key.Matches(msg, km.Back):
			return s, send(backToLoginMsg{username: s.pending.User, notice: "Sign-in cancelled."})
		case key.Matches(msg, km.Submit):
			return s, s.submit(now)
		}
		s.entry.update(msg)
	}
	return s, nil
}

func (s *verifyScreen) submit(now time.Time) tea.Cmd {
	return s.entry.send(now, &s.busy, "Checking the code…", func(ctx context.Context, code string, backup bool) tea.Cmd {
		return validateCmd(ctx, s.env, s.pending, code, backup)
	})
}

func (s *verifyScreen) View() string {
	st := s.common.Styles
	now := s.common.Now()
	w := s.common.TextWidth()
	var b strings.Builder
	b.WriteString(st.Title.Render("Two-Factor Authentication") + "\n")
	b.WriteString(st.Subtle.Render("Signing in as "+s.pending.User) + "\n\n")
	intro := s.entry.intro("Enter the 6-digit code from your authenticator app.",
		"Enter one of your backup codes. Case, spaces and dashes do not matter; each code works once.")
	b.WriteString(st.Text.Width(w).Render(intro) + "\n\n")
	b.WriteString(s.entry.input.View() + "\n\n")
	if !s.entry.locked(now) {
		// Tab does nothing while the lock holds: not offered then.
		b.WriteString(st.Key.Render("tab") + "  " + st.Text.Render(s.entry.input.SwitchLabel()) + "\n")
	}
	b.WriteString(st.Key.Render("esc") + "  " + st.Text.Render("Cancel sign-in") + "\n\n")
	if s.lockOutlasts(now) {
		b.WriteString(st.Error.Width(w).Render("✗ "+words.LockOutlastsSignIn(s.entry.lock.until)) + "\n")
		if s.entry.hint != "" {
			b.WriteString(st.Subtle.Width(w).Render(s.entry.hint) + "\n")
		}
	} else {
		b.WriteString(s.entry.status(st, w, s.busy, now))
	}
	if d := driftWarning(s.env.clock()); d != "" {
		b.WriteString(st.Warning.Width(w).Render(d) + "\n")
	}
	b.WriteString("\n" + st.Subtle.Render("This sign-in expires in "+words.Countdown(s.expires.Sub(now))+".") + "\n")
	return b.String()
}

// lockOutlasts reports whether a lock holds that ends after this sign-in
// expires: its countdown would only mislead, so the screen says what to do.
func (s *verifyScreen) lockOutlasts(now time.Time) bool {
	return s.entry.locked(now) && s.entry.lock.until.After(s.expires)
}

func (s *verifyScreen) ShortHelp() []key.Binding {
	km := s.common.KeyMap
	if s.entry.locked(s.common.Now()) {
		return []key.Binding{ui.Relabel(km.Back, "cancel sign-in"), km.Quit}
	}
	return []key.Binding{ui.Relabel(km.Submit, "verify"), s.entry.switchHelp(), ui.Relabel(km.Back, "cancel sign-in"), km.Quit}
}

func (s *verifyScreen) FullHelp() [][]key.Binding {
	return [][]key.Binding{s.ShortHelp()}
}
