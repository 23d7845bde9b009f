package screens

import (
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/twofa/twofa/client"
	"github.com/twofa/twofa/internal/wire"
	"github.com/twofa/twofa/keyring"
	"github.com/twofa/twofa/session"
	"github.com/twofa/twofa/ui"
)

// These tests drive single models with messages, no server: the states
// that are hard to reach by hand — a pending sign-in running out, a lockout
// counting down, leaving the backup codes unsaved, a terminal too small.

// offlineEnv is an Env whose client points at a closed port; the models
// under test here never send a request.
func offlineEnv(t *testing.T) *Env {
	t.Helper()
	return newTestEnv(t, "http://127.0.0.1:9", keyring.NewMemory(keyring.BackendMemory), nil)
}

// offlineVerify is Verify for alice's pending sign-in, at 78x22 on a new
// fake clock, with no server behind it.
func offlineVerify(t *testing.T) (*verifyScreen, *fakeClock) {
	t.Helper()
	clock := newFakeClock()
	c := testCommon(clock.Now)
	c.SetSize(78, 22)
	return newVerify(c, offlineEnv(t), needSecondFactorMsg{pending: session.Pending{User: "alice", Token: "pending"}, started: clock.Now()}), clock
}

// runAll runs cmd and, when it is a batch, every command in it.
func runAll(cmd tea.Cmd) []tea.Msg {
	msg := runCmd(cmd)
	batch, ok := msg.(tea.BatchMsg)
	if !ok {
		return []tea.Msg{msg}
	}
	var out []tea.Msg
	for _, c := range batch {
		out = append(out, runAll(c)...)
	}
	return out
}

func runCmd(cmd tea.Cmd) tea.Msg {
	if cmd == nil {
		return nil
	}
	return cmd()
}

func keyRune(r rune) tea.KeyMsg { return tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{r}} }

func TestVerifyPendingExpiry(t *testing.T) {
	s, clock := offlineVerify(t)
	tests := []struct {
		advance  time.Duration
		wantView string
		expired  bool
	}{
		{0, "expires in 5:00", false},
		{time.Minute + 500*time.Millisecond, "expires in 4:00", false}, // 3:59.5 left rounds up
		{3*time.Minute + 59*time.Second, "expires in 0:01", false},
		{500 * time.Millisecond, "", true},
	}
	for _, tc := range tests {
		clock.Advance(tc.advance)
		_, cmd := s.Update(ui.TickMsg{Tag: s.entry.tag})
		if tc.expired {
			msg, ok := runCmd(cmd).(backToLoginMsg)
			if !ok {
				t.Fatalf("after %v: want backToLoginMsg, got %#v", clock.Now().Sub(testStart), runCmd(cmd))
			}
			if msg.username != "alice" || !strings.Contains(msg.notice, "expired") || !msg.bad {
				t.Errorf("expiry notice = %+v", msg)
			}
			continue
		}
		if cmd == nil {
			t.Fatal("the countdown stopped ticking") // the next tick (1 s, real time) is not run here
		}
		if v := s.View(); !strings.Contains(v, tc.wantView) {
			t.Errorf("after %v: view lacks %q:\n%s", clock.Now().Sub(testStart), tc.wantView, v)
		}
	}
	// A tick of another countdown is ignored.
	if _, cmd := s.Update(ui.TickMsg{Tag: s.entry.tag + 1000}); cmd != nil {
		t.Error("foreign tick produced a command")
	}
}

func TestVerifyRefusedPendingGoesBackToSignIn(t *testing.T) {
	tests := []struct {
		name string
		err  error
	}{
		{"pending sign-in expired", &client.APIError{Status: 401, Code: wire.PendingExpired}},
		{"pending token unknown to the server", &client.APIError{Status: 401, Code: wire.Unauthorized}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, _ := offlineVerify(t)
			_, cmd := s.Update(validateDoneMsg{err: tt.err})
			msg, ok := runCmd(cmd).(backToLoginMsg)
			if !ok {
				t.Fatalf("want backToLoginMsg, got %#v", runCmd(cmd))
			}
			if msg.username != "alice" || !strings.Contains(msg.notice, "expired") || !msg.bad {
				t.Errorf("notice = %+v", msg)
			}
		})
	}
}

// TestVerifyUnclassifiedRefusalStays: a 401 at validate that names no
// token (CoPilot's "User not found", or a sentence twofa does not know) is
// shown as the server said it, and the person stays on the code prompt.
func TestVerifyUnclassifiedRefusalStays(t *testing.T) {
	for _, sentence := range []string{"User not found", "Something CoPilot says one day"} {
		s, _ := offlineVerify(t)
		_, cmd := s.Update(validateDoneMsg{err: &client.APIError{Status: 401, Detail: sentence}})
		if msg := runCmd(cmd); msg != nil {
			t.Fatalf("%q: want no navigation, got %#v", sentence, msg)
		}
		if v := s.View(); !strings.Contains(v, "The server refused: "+sentence+".") || !strings.Contains(v, "Authenticator code  ›") {
			t.Errorf("%q: not shown on the prompt:\n%s", sentence, v)
		}
	}
}

func TestVerifyLockoutCountdown(t *testing.T) {
	s, clock := offlineVerify(t)
	locked := &client.APIError{Status: 429, Code: wire.LockedOut, RetryAfter: 14*time.Minute + 32*time.Second}
	s.Update(validateDoneMsg{err: locked})
	// The lock outlasts the sign-in (5 min): no countdown beside it, but
	// what to do, and no Tab that would do nothing.
	v := s.View()
	if strings.Contains(v, "try again in") || !strings.Contains(strings.Join(strings.Fields(v), " "), "after this sign-in expires. Press esc and sign in again after 10:15 UTC.") {
		t.Fatalf("a lock longer than the sign-in is not said so:\n%s", v)
	}
	if strings.Contains(v, "tab") || strings.Contains(v, "backup code instead") {
		t.Errorf("Tab offered during the lock:\n%s", v)
	}
	// Input is disabled: digits are not taken and Enter sends nothing.
	s.Update(keyRune('1'))
	if code, _ := s.entry.input.Value(); code != "" {
		t.Errorf("input took %q during the lockout", code)
	}
	if _, cmd := s.Update(tea.KeyMsg{Type: tea.KeyEnter}); cmd != nil {
		t.Error("Enter during the lockout produced a command")
	}
	clock.Advance(14*time.Minute + 32*time.Second)
	// The pending sign-in (5 min) ran out long before: the tick says so.
	_, cmd := s.Update(ui.TickMsg{Tag: s.entry.tag})
	if _, ok := runCmd(cmd).(backToLoginMsg); !ok {
		t.Fatalf("want back to Sign in once the pending sign-in expired, got %#v", runCmd(cmd))
	}
}

// TestVerifyShortLockCountsDown: a lock that ends before the sign-in
// expires counts down on the prompt.
func TestVerifyShortLockCountsDown(t *testing.T) {
	s, clock := offlineVerify(t)
	s.Update(validateDoneMsg{err: &client.APIError{Status: 429, Code: wire.LockedOut, RetryAfter: 2*time.Minute + 32*time.Second}})
	if v := s.View(); !strings.Contains(v, "Too many failed attempts — try again in 2:32") {
		t.Fatalf("lockout not shown:\n%s", v)
	}
	clock.Advance(2 * time.Second)
	s.Update(ui.TickMsg{Tag: s.entry.tag})
	if v := s.View(); !strings.Contains(v, "try again in 2:30") {
		t.Errorf("countdown did not move:\n%s", v)
	}
}

func TestLockoutEndsOnDisableScreen(t *testing.T) {
	clock := newFakeClock()
	c := testCommon(clock.Now)
	c.SetSize(78, 22)
	s := newDisable(c, offlineEnv(t), &current{Session: session.Session{User: "alice", Token: "t"}})
	s.Update(tea.KeyMsg{Type: tea.KeyEnter}) // past the warning
	s.Update(disableDoneMsg{err: &client.APIError{Status: 429, Code: wire.LockedOut, RetryAfter: 90 * time.Second}})
	if v := s.View(); !strings.Contains(v, "try again in 1:30") {
		t.Fatalf("lockout not shown:\n%s", v)
	}
	clock.Advance(90 * time.Second)
	s.Update(ui.TickMsg{Tag: s.entry.tag})
	v := s.View()
	if strings.Contains(v, "Too many failed attempts") || !strings.Contains(v, "You can try again now.") {
		t.Errorf("lock did not end:\n%s", v)
	}
	s.Update(keyRune('4'))
	if s.entry.input.Disabled() {
		t.Error("input still disabled after the lock ended")
	}
}

func TestCodesLeaveWithoutSaving(t *testing.T) {
	clock := newFakeClock()
	c := testCommon(clock.Now)
	c.SetSize(78, 22)
	env := offlineEnv(t)
	list := []string{"ABCDE12345", "FGHJK67890"}
	enter := tea.KeyMsg{Type: tea.KeyEnter}
	esc := tea.KeyMsg{Type: tea.KeyEscape}
	tests := []struct {
		name     string
		keys     []tea.KeyMsg
		copied   bool
		wantView string
		wantDone *backupCodesDoneMsg
	}{
		{name: "esc asks", keys: []tea.KeyMsg{esc}, wantView: "Your backup codes will not be shown again."},
		{name: "esc then no stays", keys: []tea.KeyMsg{esc, keyRune('n')}, wantView: "I've saved these codes"},
		{name: "esc then yes leaves", keys: []tea.KeyMsg{esc, keyRune('y')}, wantDone: &backupCodesDoneMsg{left: true}},
		{name: "enter unsaved asks", keys: []tea.KeyMsg{enter}, wantView: "You have not copied or downloaded these codes."},
		{name: "enter unsaved then yes", keys: []tea.KeyMsg{enter, keyRune('y')}, wantDone: &backupCodesDoneMsg{}},
		{name: "enter after copy goes on", keys: []tea.KeyMsg{enter}, copied: true, wantDone: &backupCodesDoneMsg{}},
		{name: "esc after copy still asks", keys: []tea.KeyMsg{esc}, copied: true, wantView: "Leave anyway?"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			v := newBackupCodesView(c, env, "alice", "intro", list, true)
			v.copied = tc.copied
			var last tea.Msg
			for _, k := range tc.keys {
				var cmd tea.Cmd
				v, cmd = v.update(k)
				last = runCmd(cmd)
			}
			if tc.wantDone != nil {
				got, ok := last.(backupCodesDoneMsg)
				if !ok || got != *tc.wantDone {
					t.Fatalf("want %+v, got %#v", *tc.wantDone, last)
				}
				return
			}
			if last != nil {
				t.Fatalf("unexpected message %#v", last)
			}
			if view := v.view(); !strings.Contains(view, tc.wantView) {
				t.Errorf("view lacks %q:\n%s", tc.wantView, view)
			}
		})
	}
}

func TestResizeBelowMinimum(t *testing.T) {
	clock := newFakeClock()
	tests := []struct {
		w, h  int
		small bool
	}{
		{80, 24, false},
		{ui.MinWidth, ui.MinHeight, false},
		{ui.MinWidth - 1, ui.MinHeight, true},
		{ui.MinWidth, ui.MinHeight - 1, true},
		{40, 10, true},
	}
	app := New(offlineEnv(t), testOptions(clock.Now))
	for _, tc := range tests {
		app.Update(tea.WindowSizeMsg{Width: tc.w, Height: tc.h})
		v := app.View()
		lines := strings.Split(v, "\n")
		if len(lines) > tc.h {
			t.Errorf("%dx%d: view has %d lines", tc.w, tc.h, len(lines))
		}
		small := strings.Contains(v, "Enlarge it to at least")
		if small != tc.small {
			t.Errorf("%dx%d: too-small note shown = %v, want %v:\n%s", tc.w, tc.h, small, tc.small, v)
		}
		if tc.small && !strings.Contains(v, "Terminal too small") {
			t.Errorf("%dx%d: note lacks the size:\n%s", tc.w, tc.h, v)
		}
		if !tc.small && !strings.Contains(v, "Sign in") {
			t.Errorf("%dx%d: sign-in screen not drawn:\n%s", tc.w, tc.h, v)
		}
	}
}

func TestTypingBurstIsTakenKeyByKey(t *testing.T) {
	clock := newFakeClock()
	c := testCommon(clock.Now)
	c.SetSize(78, 22)
	app := New(offlineEnv(t), testOptions(clock.Now))
	app.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
	codes := newBackupCodesView(app.common, app.env, "alice", "intro", []string{"ABCDE12345"}, true)
	app.screen = &regenerateScreen{common: app.common, env: app.env, cur: app.cur, hasCodes: true, codes: codes}
	// "nd" typed fast arrives as one message: Esc's question, then n, then d.
	app.Update(tea.KeyMsg{Type: tea.KeyEscape})
	app.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("nd")})
	if v := app.View(); !strings.Contains(v, "Save to") {
		t.Errorf("burst not split: want the download prompt, got:\n%s", v)
	}
}

func TestBackupCodesLeftNotice(t *testing.T) {
	c := testCommon(nil)
	c.SetSize(78, 22)
	tests := []struct {
		me      *client.Me // nil: the server has no /me
		want    string
		suggest bool
	}{
		{me: &client.Me{Username: "alice", TwoFactor: client.TwoFactorInfo{Enabled: true, BackupCodesRemaining: 4, BackupCodesTotal: 10}}, want: "4 backup codes left."},
		{me: &client.Me{Username: "alice", TwoFactor: client.TwoFactorInfo{Enabled: true, BackupCodesRemaining: 3, BackupCodesTotal: 10}}, want: "3 backup codes left.", suggest: true},
		{me: &client.Me{Username: "alice", TwoFactor: client.TwoFactorInfo{Enabled: true, BackupCodesRemaining: 1, BackupCodesTotal: 10}}, want: "1 backup code left.", suggest: true},
		{want: "That code cannot be used again."},
	}
	for _, tc := range tests {
		s := newSecurity(c, offlineEnv(t), &current{Session: session.Session{User: "alice", Token: "t"}}, "", true)
		s.Update(accountLoadedMsg{account: session.Account{TwoFactorOn: true, Me: tc.me}})
		v := s.View()
		if !strings.Contains(v, tc.want) {
			t.Errorf("view lacks %q:\n%s", tc.want, v)
		}
		if got := strings.Contains(v, "press r to regenerate backup codes."); got != tc.suggest {
			t.Errorf("%q: regenerate suggested = %v, want %v", tc.want, got, tc.suggest)
		}
	}
}
