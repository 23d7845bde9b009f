package screens

import (
	"io"
	"strings"
	"sync"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/hinshun/vt10x"
	"github.com/muesli/termenv"
	"github.com/twofa/twofa/client"
	"github.com/twofa/twofa/session"
	"github.com/twofa/twofa/ui/cellwriter"
)

// maxKeystrokeBytes is what one character typed in a field may cost on the
// wire (issue 14): a slow SSH link pays for every byte.
const maxKeystrokeBytes = 80

// linkEnd is a terminal at the end of a link: a vt10x screen fed with what
// the program's cellwriter sends, and the count of those bytes.
type linkEnd struct {
	mu sync.Mutex
	vt vt10x.Terminal
	n  int
}

func (w *linkEnd) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.n += len(p)
	return w.vt.Write(p)
}

// state is the screen's text, the bytes so far and the cursor.
func (w *linkEnd) state() (screen string, n int, cur vt10x.Cursor, visible bool) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.vt.String(), w.n, w.vt.Cursor(), w.vt.CursorVisible()
}

// runWired runs app as the real program does — alternate screen, a
// cellwriter in front of the terminal — with keys typed into in.
func runWired(t *testing.T, app *App, w, h int) (*tea.Program, *io.PipeWriter, *linkEnd) {
	t.Helper()
	term := &linkEnd{vt: vt10x.New(vt10x.WithSize(w, h))}
	in, keys := io.Pipe()
	cw := cellwriter.New(term)
	p := tea.NewProgram(app, append(cw.Options(), tea.WithInput(in), tea.WithAltScreen(), tea.WithoutSignals())...)
	done := make(chan struct{})
	go func() { _, _ = p.Run(); close(done) }()
	t.Cleanup(func() { p.Quit(); _ = keys.Close(); <-done })
	p.Send(tea.WindowSizeMsg{Width: w, Height: h})
	return p, keys, term
}

// waitScreen waits until the screen holds want and returns the bytes sent
// so far and the cursor.
func waitScreen(t *testing.T, term *linkEnd, want string) (int, vt10x.Cursor, bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		s, n, cur, vis := term.state()
		if strings.Contains(s, want) {
			return n, cur, vis
		}
		if time.Now().After(deadline) {
			t.Fatalf("screen never showed %q:\n%s", want, s)
		}
		time.Sleep(2 * time.Millisecond)
	}
}

// TestBytesPerKeystroke types into the password field of Sign in and the
// code fields of the second factor and the wizard's Step 3, through the
// real program on a colour terminal, and counts the bytes each character
// costs — from the screen showing one character to it showing the next —
// against maxKeystrokeBytes; the terminal's cursor stands visible right
// after what was typed.
func TestBytesPerKeystroke(t *testing.T) {
	cases := []struct {
		name  string
		setup func(p *tea.Program)
		keys  string
		shown func(typed string) string // the field's text once typed is in
		col   func(typed string) int    // the cursor's column then
	}{
		{"sign-in password", func(p *tea.Program) {
			p.Send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("alice")})
			p.Send(tea.KeyMsg{Type: tea.KeyTab})
		}, "tethne9msj4e",
			func(s string) string { return "Password  › " + strings.Repeat("•", len(s)) },
			func(s string) int { return 13 + len(s) }},
		{"second factor", func(p *tea.Program) {
			p.Send(needSecondFactorMsg{pending: session.Pending{User: "alice", Token: "t"}, started: testStart})
		}, "123456", codeSlots, codeColumn},
		{"wizard step 3", func(p *tea.Program) {
			p.Send(signedInMsg{session: session.Session{User: "alice", Token: "t"}})
			p.Send(openEnableMsg{})
			p.Send(setupDoneMsg{res: &client.SetupResult{Secret: qrTestSecret, Issuer: "Example", Account: "alice",
				OTPAuthURL: "otpauth://totp/Example:alice?secret=" + qrTestSecret + "&issuer=Example", BackupCodes: []string{"ABCDE-12345"}}})
			p.Send(tea.KeyMsg{Type: tea.KeyEnter})
		}, "123456", codeSlots, codeColumn},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := lipgloss.NewRenderer(io.Discard)
			r.SetColorProfile(termenv.TrueColor)
			r.SetHasDarkBackground(true)
			app := New(offlineEnv(t), Options{Renderer: r, Dark: true, Now: func() time.Time { return testStart }})
			p, keys, term := runWired(t, app, 80, 24)
			c.setup(p)
			before, _, _ := waitScreen(t, term, c.shown(""))
			for i := range c.keys {
				if _, err := keys.Write([]byte(c.keys[i : i+1])); err != nil {
					t.Fatal(err)
				}
				typed := c.keys[:i+1]
				n, cur, visible := waitScreen(t, term, c.shown(typed))
				t.Logf("%q: %d bytes", c.keys[i], n-before)
				if n-before > maxKeystrokeBytes {
					t.Errorf("%q cost %d bytes, want ≤ %d", c.keys[i], n-before, maxKeystrokeBytes)
				}
				if !visible || cur.X != c.col(typed) {
					t.Errorf("after %q the cursor is at column %d (visible %v), want visible at %d", typed, cur.X, visible, c.col(typed))
				}
				before = n
			}
		})
	}
}

// codeSlots is the code field with typed in its slots.
func codeSlots(typed string) string {
	slots := strings.Split(typed+strings.Repeat("_", 6-len(typed)), "")
	return "› " + strings.Join(slots, " ")
}

// codeColumn is where the cursor stands in the code field: on the next
// slot, or one past the last when all six are typed.
func codeColumn(typed string) int {
	return 23 + 2*len(typed)
}
