package screens

import (
	"fmt"
	"io"
	"os"
	"regexp"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/exp/golden"
	"github.com/charmbracelet/x/exp/teatest"
	"github.com/hinshun/vt10x"
	"github.com/muesli/termenv"
	"github.com/twofa/twofa/client"
	"github.com/twofa/twofa/internal/harness/testclock"
	"github.com/twofa/twofa/server/servertest"
	"github.com/twofa/twofa/session"
	"github.com/twofa/twofa/ui"
)

// How the goldens stay deterministic without weakening them:
//   - one fake clock drives both the reference server (Options.Now: TOTP
//     steps, pending-token expiry, lockouts, "enabled since") and the app
//     (Options.Now: every countdown), so "expires in 5:00" or "try again in
//     15:00" are exact; the test advances it explicitly;
//   - the app draws through a renderer of its own, pinned to ASCII and a
//     dark background; lipgloss's global renderer is set to true colour, so
//     a style drawn by it instead would put colour codes into a golden;
//   - what the server draws at random — the httptest port, the TOTP secret,
//     the QR code made from it and the backup codes — is read off the screen
//     (the test needs it to compute codes), checked for shape, and then
//     masked with same-length placeholders, so the layout around it is
//     still compared cell for cell.

// testStart is the fake clock's start: a fixed instant, mid TOTP step.
var testStart = time.Date(2030, 1, 2, 10, 0, 5, 0, time.UTC)

func TestMain(m *testing.M) {
	lipgloss.SetColorProfile(termenv.TrueColor)
	lipgloss.SetHasDarkBackground(false)
	time.Local = time.UTC // times are shown in the local zone: one zone for every golden
	os.Exit(m.Run())
}

// testRenderer is the renderer of one program under test: no colours, a
// dark background.
func testRenderer() *lipgloss.Renderer {
	r := lipgloss.NewRenderer(io.Discard)
	r.SetColorProfile(termenv.Ascii)
	r.SetHasDarkBackground(true)
	return r
}

// testCommon is the Common of a program under test, on clock now.
func testCommon(now func() time.Time) ui.Common { return ui.NewCommon(testRenderer(), true, now) }

// testOptions are the app's Options under test, on clock now.
func testOptions(now func() time.Time) Options {
	return Options{Renderer: testRenderer(), Dark: true, Now: now}
}

// fakeClock is the clock shared by the server and the app.
type fakeClock = testclock.Clock

func newFakeClock() *fakeClock { return testclock.New(testStart) }

const (
	testUser     = "alice"
	testPassword = "correct horse battery staple"
)

// startServer runs the reference server on a temp SQLite file behind
// httptest, on clock, with one account, and returns its URL.
func startServer(t *testing.T, clock *fakeClock) string {
	t.Helper()
	s := servertest.New(t, servertest.Options{Clock: clock})
	s.CreateUser(t, testUser, testPassword, "user")
	return s.URL
}

// newTestEnv returns an Env for a client of url keeping sessions in store
// and remembering users in memory (nil: nothing remembered).
func newTestEnv(t *testing.T, url string, store session.Store, memory session.Memory) *Env {
	t.Helper()
	c, err := client.New(client.Options{Server: url, UserAgentVersion: "test"})
	if err != nil {
		t.Fatalf("client.New: %v", err)
	}
	return &Env{Sessions: session.New(c, store, memory), Timeout: 10 * time.Second}
}

// term runs the app under teatest and keeps an 80x24 terminal emulator fed
// with everything it draws, so the test reads the screen a person sees.
type term struct {
	t     *testing.T
	tm    *teatest.TestModel
	vt    vt10x.Terminal
	mu    sync.Mutex
	last  time.Time
	masks []string
	done  chan struct{}
}

// goldenSize is one terminal size every screen has goldens at.
type goldenSize struct{ w, h int }

func (z goldenSize) String() string { return fmt.Sprintf("%dx%d", z.w, z.h) }

// goldenSizes are the sizes of issue 11: the smallest laid out, the
// classic, and a large window.
var goldenSizes = []goldenSize{{60, 20}, {80, 24}, {120, 40}}

// eachSize runs walk once per golden size, as a subtest named for it, so
// the goldens of one size live in testdata/<Test>/<w>x<h>/.
func eachSize(t *testing.T, walk func(t *testing.T, z goldenSize)) {
	for _, z := range goldenSizes {
		t.Run(z.String(), func(t *testing.T) { walk(t, z) })
	}
}

// startTerm runs m in an 80x24 terminal.
func startTerm(t *testing.T, m tea.Model) *term { return startTermSized(t, m, goldenSize{80, 24}) }

// startTermSized runs m under teatest in a terminal of size z.
func startTermSized(t *testing.T, m tea.Model, z goldenSize) *term {
	t.Helper()
	tt := &term{t: t, vt: vt10x.New(vt10x.WithSize(z.w, z.h)), done: make(chan struct{})}
	tt.tm = teatest.NewTestModel(t, m, teatest.WithInitialTermSize(z.w, z.h))
	go func() {
		buf := make([]byte, 32*1024)
		out := tt.tm.Output()
		for {
			n, _ := out.Read(buf)
			if n > 0 {
				tt.mu.Lock()
				_, _ = tt.vt.Write(buf[:n])
				tt.last = time.Now()
				tt.mu.Unlock()
				continue
			}
			select {
			case <-tt.done:
				return
			case <-time.After(5 * time.Millisecond):
			}
		}
	}()
	t.Cleanup(func() {
		_ = tt.tm.Quit()
		tt.tm.WaitFinished(t, teatest.WithFinalTimeout(5*time.Second))
		close(tt.done)
	})
	return tt
}

// screen returns the emulator's text, trailing spaces trimmed.
func (tt *term) screen() string {
	tt.mu.Lock()
	s := tt.vt.String()
	tt.mu.Unlock()
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, " ")
	}
	return strings.Join(lines, "\n") + "\n"
}

// fold joins the words of s with single spaces, so a sentence is found
// however a narrow or wide layout wrapped or aligned it.
func fold(s string) string { return strings.Join(strings.Fields(s), " ") }

// waitFor waits until the screen shows every one of want (compared with
// whitespace folded) and has stopped changing, and returns it. It fails
// the test after 10 seconds.
func (tt *term) waitFor(want ...string) string {
	tt.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		s := tt.screen()
		flat := fold(s)
		ok := true
		for _, w := range want {
			if !strings.Contains(flat, fold(w)) {
				ok = false
				break
			}
		}
		tt.mu.Lock()
		quiet := time.Since(tt.last) > 60*time.Millisecond
		tt.mu.Unlock()
		if ok && quiet && s == tt.screen() {
			return s
		}
		time.Sleep(15 * time.Millisecond)
	}
	tt.t.Fatalf("screen never showed %q; last screen:\n%s", want, tt.screen())
	return ""
}

// mask registers a random string to be replaced by Xs (same length) in goldens.
func (tt *term) mask(s ...string) { tt.masks = append(tt.masks, s...) }

var qrRow = regexp.MustCompile(`[█▀▄](?:[ █▀▄]*[█▀▄])?`)

// snap compares the screen, masked, with testdata/<test>/<name>.golden.
func (tt *term) snap(name string, want ...string) string {
	tt.t.Helper()
	s := tt.waitFor(want...)
	masked := s
	// Longest first, so a piece of the secret never spoils a longer run.
	masks := append([]string(nil), tt.masks...)
	sort.Slice(masks, func(i, j int) bool { return len(masks[i]) > len(masks[j]) })
	for _, m := range masks {
		if m != "" {
			masked = strings.ReplaceAll(masked, m, strings.Repeat("X", len([]rune(m))))
		}
	}
	// The QR code's modules come from the random secret: keep its
	// footprint (every row and column of it), hide its pattern.
	lines := strings.Split(masked, "\n")
	for i, l := range lines {
		if loc := qrRow.FindStringIndex(l); loc != nil && len([]rune(l[loc[0]:loc[1]])) >= 20 {
			n := len([]rune(l[loc[0]:loc[1]]))
			lines[i] = l[:loc[0]] + strings.Repeat("▒", n) + l[loc[1]:]
		}
	}
	masked = strings.Join(lines, "\n")
	tt.t.Run(name, func(t *testing.T) { golden.RequireEqual(t, []byte(masked)) })
	return s
}

// finalApp quits the program and returns its last model, read once the
// program's goroutine is done with it.
func (tt *term) finalApp() *App {
	tt.t.Helper()
	_ = tt.tm.Quit()
	return tt.tm.FinalModel(tt.t, teatest.WithFinalTimeout(5*time.Second)).(*App)
}

func (tt *term) typeText(s string) { tt.tm.Type(s) }
func (tt *term) key(k tea.KeyType) { tt.tm.Send(tea.KeyMsg{Type: k}) }
func (tt *term) enter()            { tt.key(tea.KeyEnter) }
