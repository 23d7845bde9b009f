package screens

import (
	"net"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/twofa/twofa/keyring"
	"github.com/twofa/twofa/session"
)

// silentServer accepts connections and never answers; read reports each
// request that arrived, closed each connection the client gave up on.
func silentServer(t *testing.T) (url string, read, closed <-chan struct{}) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = ln.Close() })
	ch := make(chan struct{}, 16)
	got := make(chan struct{}, 16)
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				buf := make([]byte, 4096)
				for {
					if _, err := c.Read(buf); err != nil {
						ch <- struct{}{}
						return
					}
					got <- struct{}{}
				}
			}()
		}
	}()
	return "http://" + ln.Addr().String(), got, ch
}

// runAsync runs the commands of cmd (a batch too) in the background and
// sends what each answers on the returned channel.
func runAsync(cmd tea.Cmd) <-chan tea.Msg {
	out := make(chan tea.Msg, 8)
	var run func(tea.Cmd)
	run = func(c tea.Cmd) {
		if c == nil {
			return
		}
		go func() {
			msg := c()
			if b, ok := msg.(tea.BatchMsg); ok {
				for _, c := range b {
					run(c)
				}
				return
			}
			out <- msg
		}()
	}
	run(cmd)
	return out
}

// TestEscCancelsRequest: against a server that never answers, Esc stops
// the sign-in at once — its request's context is cancelled, so the client
// closes the connection — and keys typed while it waited are not lost:
// they reach the field once the screen takes keys again.
func TestEscCancelsRequest(t *testing.T) {
	url, read, closed := silentServer(t)
	env := newTestEnv(t, url, keyring.NewMemory(keyring.BackendMemory), nil)
	env.Timeout = time.Minute
	a := New(env, testOptions(nil))
	a.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
	a.Init()
	for _, r := range "alice" {
		a.Update(keyRune(r))
	}
	a.Update(tea.KeyMsg{Type: tea.KeyEnter})
	for _, r := range "pw" {
		a.Update(keyRune(r))
	}
	_, cmd := a.Update(tea.KeyMsg{Type: tea.KeyEnter})
	answers := runAsync(cmd)
	l := a.screen.(*loginScreen)
	if !l.busy.Active() {
		t.Fatalf("not signing in:\n%s", a.View())
	}
	for _, r := range "123" { // typed while waiting: held
		a.Update(keyRune(r))
	}
	if got := l.password.Value(); got != "pw" {
		t.Fatalf("a key typed while waiting reached the field at once: %q", got)
	}
	select {
	case <-read:
	case <-time.After(5 * time.Second):
		t.Fatal("the sign-in request never reached the server")
	}
	start := time.Now()
	a.Update(tea.KeyMsg{Type: tea.KeyEscape})
	if l.busy.Active() || !strings.Contains(a.View(), "Cancelled: twofa stopped waiting for the server.") {
		t.Fatalf("Esc did not cancel:\n%s", a.View())
	}
	select {
	case <-closed:
	case <-time.After(5 * time.Second):
		t.Fatal("the request was not cancelled: the connection is still open")
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("the cancelled request took %v to end", d)
	}
	if got := l.password.Value(); got != "pw123" {
		t.Errorf("keys typed while waiting were lost: the password is %q, want pw123", got)
	}
	// The cancelled request's answer is dropped (env.request answers no
	// message), not shown as an error.
	for msg := range answers {
		if msg == nil {
			break
		}
		if _, ok := msg.(loginDoneMsg); ok {
			t.Fatalf("the cancelled request answered %#v", msg)
		}
		a.Update(msg)
	}
	if v := a.View(); !strings.Contains(v, "Cancelled") || strings.Contains(v, "✗") {
		t.Errorf("the cancelled answer changed the screen:\n%s", v)
	}
}

// TestEscCancelsCodeRequest: on a code screen Esc during the check cancels
// it and stays, the code still typed; a second Esc then leaves as usual.
func TestEscCancelsCodeRequest(t *testing.T) {
	c := testCommon(nil)
	c.SetSize(78, 22)
	s := newVerify(c, offlineEnv(t), needSecondFactorMsg{pending: session.Pending{User: "alice", Token: "p"}, started: time.Now()})
	for _, r := range "123456" {
		s.Update(keyRune(r))
	}
	if _, cmd := s.Update(tea.KeyMsg{Type: tea.KeyEnter}); cmd == nil || !s.busy.Active() {
		t.Fatal("enter sent nothing")
	}
	ctx := s.busy.Context()
	if _, cmd := s.Update(tea.KeyMsg{Type: tea.KeyEscape}); cmd != nil {
		t.Fatalf("Esc during the check left: %#v", runCmd(cmd))
	}
	if ctx.Err() == nil || s.busy.Active() || s.entry.input.Disabled() {
		t.Fatal("Esc did not cancel the check")
	}
	if code, _ := s.entry.input.Value(); code != "123456" || !strings.Contains(s.View(), "Cancelled") {
		t.Fatalf("after Esc the field holds %q:\n%s", code, s.View())
	}
	_, cmd := s.Update(tea.KeyMsg{Type: tea.KeyEscape})
	if _, ok := runCmd(cmd).(backToLoginMsg); !ok {
		t.Fatal("a second Esc did not cancel the sign-in")
	}
}
