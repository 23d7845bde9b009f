package screens

import (
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/twofa/twofa/client"
	"github.com/twofa/twofa/internal/wire"
	"github.com/twofa/twofa/session"
	"github.com/twofa/twofa/ui"
)

// TestLockedCodeScreensOfferNoEnter: while a lock holds, Enter does nothing
// on a code screen, so neither its body nor its footer offers it; once the
// lock ends both offer it again.
func TestLockedCodeScreensOfferNoEnter(t *testing.T) {
	type screen interface {
		View() string
		ShortHelp() []key.Binding
	}
	cur := &current{Session: session.Session{User: "alice", Token: "t"}}
	tests := []struct {
		name string
		open func(t *testing.T, now func() time.Time) (screen, *codeEntry)
	}{
		{"regenerate", func(t *testing.T, now func() time.Time) (screen, *codeEntry) {
			c := testCommon(now)
			c.SetSize(78, 22)
			s := newRegenerate(c, offlineEnv(t), cur)
			return s, &s.entry
		}},
		{"disable", func(t *testing.T, now func() time.Time) (screen, *codeEntry) {
			c := testCommon(now)
			c.SetSize(78, 22)
			s := newDisable(c, offlineEnv(t), cur)
			s.Update(tea.KeyMsg{Type: tea.KeyEnter}) // past the warning
			return s, &s.entry
		}},
		{"enable verify step", func(t *testing.T, now func() time.Time) (screen, *codeEntry) {
			c := testCommon(now)
			c.SetSize(78, 22)
			s := newEnable(c, offlineEnv(t), cur)
			s.step = stepVerify
			return s, &s.entry
		}},
		{"sign-in second factor", func(t *testing.T, now func() time.Time) (screen, *codeEntry) {
			c := testCommon(now)
			c.SetSize(78, 22)
			s := newVerify(c, offlineEnv(t), needSecondFactorMsg{pending: session.Pending{User: "alice", Token: "p"}, started: now()})
			return s, &s.entry
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			clock := newFakeClock()
			s, entry := tc.open(t, clock.Now)
			locked := &client.APIError{Status: 429, Code: wire.LockedOut, RetryAfter: 90 * time.Second}
			entry.fail(locked, clock.Now(), offlineEnv(t), false)
			if v := s.View(); !strings.Contains(v, "try again in 1:30") || offersEnter(v) {
				t.Errorf("locked: want the countdown and no enter in the body:\n%s", v)
			}
			if hasKey(s.ShortHelp(), "enter") {
				t.Errorf("locked: footer offers enter: %v", helpKeys(s.ShortHelp()))
			}
			clock.Advance(90 * time.Second)
			entry.tick(ui.TickMsg{Tag: entry.tag}, clock.Now())
			if tc.name != "sign-in second factor" && !offersEnter(s.View()) {
				t.Errorf("unlocked: body no longer offers enter:\n%s", s.View())
			}
			if !hasKey(s.ShortHelp(), "enter") {
				t.Errorf("unlocked: footer lacks enter: %v", helpKeys(s.ShortHelp()))
			}
		})
	}
}

// hasKey reports whether a binding in help is shown as k.
func hasKey(help []key.Binding, k string) bool {
	for _, b := range help {
		if b.Help().Key == k {
			return true
		}
	}
	return false
}

// helpKeys lists the keys help shows, for failure messages.
func helpKeys(help []key.Binding) []string {
	var out []string
	for _, b := range help {
		out = append(out, b.Help().Key)
	}
	return out
}

// offersEnter reports whether a line of view is the "enter" key's line.
func offersEnter(view string) bool {
	for _, line := range strings.Split(view, "\n") {
		if f := strings.Fields(line); len(f) > 0 && f[0] == "enter" {
			return true
		}
	}
	return false
}
