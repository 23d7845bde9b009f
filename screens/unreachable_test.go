package screens

import (
	"errors"
	"strings"
	"syscall"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/twofa/twofa/client"
	"github.com/twofa/twofa/internal/wire"
	"github.com/twofa/twofa/keyring"
	"github.com/twofa/twofa/session"
	"github.com/twofa/twofa/ui"
)

func refusedErr() error {
	return &client.TransportError{Server: "http://127.0.0.1:9", Kind: client.KindRefused, Err: syscall.ECONNREFUSED}
}

// TestServerDownAtStart: a stored session the server cannot be asked about
// (nothing listens) is kept: the app shows "Cannot reach the server", tries
// again after 2 s, 4 s, 8 s … (r at once), and a server that answers later
// resumes the session with no new sign-in; an error that retrying cannot
// mend goes to Sign in.
func TestServerDownAtStart(t *testing.T) {
	clock := newFakeClock()
	a := New(offlineEnv(t), testOptions(clock.Now))
	a.cur.User = "alice"
	a.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
	a.Init()
	_, cmd := a.Update(resumeDoneMsg{err: refusedErr()})
	a.Update(runCmd(cmd))
	s, ok := a.screen.(*unreachableScreen)
	if !ok {
		t.Fatalf("a refused connection at start shows %T, want the unreachable screen:\n%s", a.screen, a.View())
	}
	v := a.View()
	for _, want := range []string{"Cannot reach the server", "saved session for alice is kept", "Trying again in 0:02", "r    Try again now"} {
		if !strings.Contains(v, want) {
			t.Errorf("view lacks %q:\n%s", want, v)
		}
	}
	// The back-off: each failed try waits longer, up to 30 s.
	for _, wait := range []time.Duration{2, 4, 8, 16, 30, 30} {
		wait *= time.Second
		clock.Advance(wait - time.Second)
		if _, cmd := a.Update(ui.TickMsg{Tag: s.tag}); s.busy.Active() || cmd == nil {
			t.Fatalf("tried again before %v, or stopped ticking", wait)
		}
		clock.Advance(time.Second)
		a.Update(ui.TickMsg{Tag: s.tag})
		if !s.busy.Active() {
			t.Fatalf("no try after %v:\n%s", wait, a.View())
		}
		a.Update(resumeDoneMsg{err: refusedErr()})
	}
	// r tries at once; the server answers and the session is resumed.
	a.Update(keyRune('r'))
	if !s.busy.Active() {
		t.Fatal("r did not try again")
	}
	stored := session.Session{User: "alice", Token: "tok"}
	_, cmd = a.Update(resumeDoneMsg{ok: true, session: stored, storage: keyring.Storage{Name: "memory only"}})
	a.Update(runCmd(cmd))
	if _, ok := a.screen.(*securityScreen); !ok || a.cur.Token != "tok" {
		t.Fatalf("after the server answered: %T holding %v", a.screen, a.cur.Session)
	}
}

func TestUnreachableGivesUp(t *testing.T) {
	tests := []struct {
		name string
		msg  resumeDoneMsg
		want string
	}{
		{"session ended", resumeDoneMsg{ended: true}, "Your saved session has ended"},
		{"TLS", resumeDoneMsg{err: &client.TransportError{Kind: client.KindTLS, Err: errors.New("x509: unknown authority")}}, "✗"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			clock := newFakeClock()
			c := testCommon(clock.Now)
			c.SetSize(78, 22)
			s := newUnreachable(c, offlineEnv(t), serverDownMsg{username: "alice", err: refusedErr()})
			_, cmd := s.Update(tc.msg)
			got, ok := runCmd(cmd).(backToLoginMsg)
			if !ok || !strings.Contains(got.notice, tc.want) || got.username != "alice" {
				t.Fatalf("got %#v, want Sign in saying %q", runCmd(cmd), tc.want)
			}
		})
	}
	for _, err := range []error{refusedErr(), &client.APIError{Status: 502}, &client.TransportError{Kind: client.KindTimeout}} {
		if !unreachable(err) {
			t.Errorf("unreachable(%v) = false", err)
		}
	}
	if unreachable(&client.APIError{Status: 401, Code: wire.Unauthorized}) {
		t.Error("a refused session counts as an unreachable server")
	}
}
