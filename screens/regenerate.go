package screens

import (
	"context"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/twofa/twofa/ui"
)

// regenerateScreen is "Regenerate backup codes": the current 6-digit code,
// then the new codes on the shared backup-codes view.
type regenerateScreen struct {
	common   ui.Common
	env      *Env
	cur      *current
	entry    codeEntry
	busy     ui.Busy
	codes    backupCodesView
	hasCodes bool
}

func newRegenerate(c ui.Common, env *Env, cur *current) *regenerateScreen {
	return &regenerateScreen{common: c, env: env, cur: cur, entry: newCodeEntry(c, false), busy: ui.NewBusy(c.Styles)}
}

func (s *regenerateScreen) Title() string { return "Regenerate backup codes" }

// Leave drops the new codes.
func (s *regenerateScreen) Leave() { s.codes, s.hasCodes = backupCodesView{}, false }

func (s *regenerateScreen) Capturing() bool { return s.hasCodes && s.codes.capturing() }

// guardQuit asks before quitting while the new codes are on show.
func (s *regenerateScreen) guardQuit() bool {
	if !s.hasCodes {
		return false
	}
	var asked bool
	s.codes, asked = s.codes.guardQuit()
	return asked
}

// unsavedCodes says the new codes on show were not saved, if so.
func (s *regenerateScreen) unsavedCodes() string {
	if !s.hasCodes {
		return ""
	}
	return s.codes.unsaved()
}

func (s *regenerateScreen) SetSize(w, h int) {
	s.common.SetSize(w, h)
	if s.hasCodes {
		s.codes = s.codes.setSize(w, h)
	}
}
func (s *regenerateScreen) Init() tea.Cmd { return s.entry.startTicking() }

func (s *regenerateScreen) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	now := s.common.Now()
	if cmd, ok := s.entry.handle(msg, now, &s.busy); ok {
		return s, cmd
	}
	switch msg := msg.(type) {
	case regenerateDoneMsg:
		return s, s.done(msg, now)
	case backupCodesDoneMsg:
		notice := "New backup codes are active; the old ones no longer work."
		if msg.left {
			notice = "You left without saving the new backup codes, and the old ones no longer work. Regenerate again to get codes you can keep: press r."
		}
		return s, send(backToSecurityMsg{notice: notice})
	case tea.KeyMsg:
		if s.hasCodes {
			break
		}
		km := s.common.KeyMap
		switch {
		case key.Matches(msg, km.Back):
			return s, send(backToSecurityMsg{})
		case key.Matches(msg, km.Submit):
			return s, s.entry.send(now, &s.busy, "Creating new codes…", func(ctx context.Context, code string, _ bool) tea.Cmd {
				return regenerateCmd(ctx, s.env, s.cur.Session, code)
			})
		}
		s.entry.update(msg)
		return s, nil
	}
	if !s.hasCodes {
		return s, nil
	}
	var cmd tea.Cmd
	s.codes, cmd = s.codes.update(msg)
	return s, cmd
}

func (s *regenerateScreen) done(msg regenerateDoneMsg, now time.Time) tea.Cmd {
	s.entry.answered(&s.busy)
	if msg.err == nil {
		intro := "Your new backup codes. Every earlier code stopped working just now. Each works once, and they will not be shown again."
		s.codes = newBackupCodesView(s.common, s.env, s.cur.User, intro, msg.res.BackupCodes, msg.res.BackupCodesAnyForm).setSize(s.common.Width, s.common.Height)
		s.hasCodes = true
		return nil
	}
	return s.entry.fail(msg.err, now, s.env, false)
}

func (s *regenerateScreen) View() string {
	st := s.common.Styles
	w := s.common.TextWidth()
	now := s.common.Now()
	var b strings.Builder
	b.WriteString(st.Title.Render("Regenerate backup codes") + "\n\n")
	if s.hasCodes {
		return b.String() + s.codes.view()
	}
	b.WriteString(st.Text.Width(w).Render("Enter the current 6-digit code from your authenticator app. New backup codes replace all of your old ones, which stop working at once.") + "\n\n")
	b.WriteString(s.entry.input.View() + "\n\n")
	b.WriteString(s.entry.submitLine(st, now, "  ", "Regenerate backup codes"))
	b.WriteString(st.Key.Render("esc") + "    Back to Security\n\n")
	b.WriteString(s.entry.status(st, w, s.busy, now))
	return b.String()
}

func (s *regenerateScreen) ShortHelp() []key.Binding {
	if s.hasCodes {
		return s.codes.shortHelp()
	}
	km := s.common.KeyMap
	keys := s.entry.submitHelp(km.Submit, s.common.Now(), "regenerate")
	return append(keys, ui.Relabel(km.Back, "back"), km.Quit)
}

func (s *regenerateScreen) FullHelp() [][]key.Binding {
	return [][]key.Binding{s.ShortHelp()}
}
