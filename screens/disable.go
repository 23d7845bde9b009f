package screens

import (
	"context"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/twofa/twofa/ui"
)

// disableScreen is "Disable 2FA": a warning first, then a 6-digit or backup
// code (Tab switches).
type disableScreen struct {
	common ui.Common
	env    *Env
	cur    *current
	warned bool
	entry  codeEntry
	busy   ui.Busy
}

func newDisable(c ui.Common, env *Env, cur *current) *disableScreen {
	return &disableScreen{common: c, env: env, cur: cur, entry: newCodeEntry(c, true), busy: ui.NewBusy(c.Styles)}
}

func (s *disableScreen) Title() string { return "Disable 2FA" }

// Leave has nothing to drop: the code typed is gone once sent.
func (s *disableScreen) Leave() {}

func (s *disableScreen) Capturing() bool  { return s.warned && s.entry.backup() }
func (s *disableScreen) SetSize(w, h int) { s.common.SetSize(w, h) }
func (s *disableScreen) Init() tea.Cmd    { return s.entry.startTicking() }

func (s *disableScreen) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	now := s.common.Now()
	if cmd, ok := s.entry.handle(msg, now, &s.busy); ok {
		return s, cmd
	}
	switch msg := msg.(type) {
	case disableDoneMsg:
		return s, s.done(msg, now)
	case tea.KeyMsg:
		km := s.common.KeyMap
		switch {
		case key.Matches(msg, km.Back):
			return s, send(backToSecurityMsg{notice: "Two-factor authentication is still on."})
		case key.Matches(msg, km.Submit):
			if !s.warned {
				s.warned = true
				return s, nil
			}
			return s, s.submit(now)
		}
		if s.warned {
			s.entry.update(msg)
		}
	}
	return s, nil
}

func (s *disableScreen) submit(now time.Time) tea.Cmd {
	return s.entry.send(now, &s.busy, "Disabling 2FA…", func(ctx context.Context, code string, backup bool) tea.Cmd {
		return disableCmd(ctx, s.env, s.cur.Session, code, backup)
	})
}

func (s *disableScreen) done(msg disableDoneMsg, now time.Time) tea.Cmd {
	s.entry.answered(&s.busy)
	if msg.err == nil {
		return send(backToSecurityMsg{notice: "Two-factor authentication is off. Your secret and backup codes were deleted."})
	}
	return s.entry.fail(msg.err, now, s.env, s.entry.backup())
}

func (s *disableScreen) View() string {
	st := s.common.Styles
	w := s.common.TextWidth()
	now := s.common.Now()
	var b strings.Builder
	b.WriteString(st.Title.Render("Disable 2FA") + "\n\n")
	warning := "⚠ Disabling two-factor authentication deletes your authenticator secret and every backup code. Your account will be protected by your password alone. Enabling again starts over with a new QR code."
	b.WriteString(st.Warning.Width(w).Render(warning) + "\n\n")
	if !s.warned {
		b.WriteString(st.Key.Render("enter") + "  Continue\n")
		b.WriteString(st.Key.Render("esc") + "    Keep 2FA on\n")
		return b.String()
	}
	intro := s.entry.intro("To confirm, enter the 6-digit code from your authenticator app.",
		"To confirm, enter one of your backup codes.")
	b.WriteString(st.Text.Width(w).Render(intro) + "\n\n")
	b.WriteString(s.entry.input.View() + "\n\n")
	b.WriteString(s.entry.submitLine(st, now, "  ", "Disable 2FA"))
	if !s.entry.locked(now) {
		b.WriteString(st.Key.Render("tab") + "    " + s.entry.input.SwitchLabel() + "\n")
	}
	b.WriteString(st.Key.Render("esc") + "    Keep 2FA on\n\n")
	b.WriteString(s.entry.status(st, w, s.busy, now))
	return b.String()
}

func (s *disableScreen) ShortHelp() []key.Binding {
	km := s.common.KeyMap
	back := ui.Relabel(km.Back, "keep 2FA on")
	if !s.warned {
		return []key.Binding{ui.Relabel(km.Submit, "continue"), back, km.Quit}
	}
	if s.entry.locked(s.common.Now()) {
		return []key.Binding{back, km.Quit}
	}
	return []key.Binding{ui.Relabel(km.Submit, "disable 2FA"), s.entry.switchHelp(), back, km.Quit}
}

func (s *disableScreen) FullHelp() [][]key.Binding {
	return [][]key.Binding{s.ShortHelp()}
}
