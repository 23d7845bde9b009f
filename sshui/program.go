package sshui

import (
	"context"
	"io"
	"strings"
	"sync"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/ssh"
	"github.com/charmbracelet/wish"
	bm "github.com/charmbracelet/wish/bubbletea"
	"github.com/muesli/termenv"
	"github.com/twofa/twofa/keyring"
	"github.com/twofa/twofa/screens"
	"github.com/twofa/twofa/session"
	"github.com/twofa/twofa/ui"
	"github.com/twofa/twofa/ui/cellwriter"
	"github.com/twofa/twofa/ui/clipboard"
)

// StorageName is where a session signed in over SSH is kept, as the
// Security tab says it: this connection's memory, gone when it closes.
const StorageName = keyring.BackendMemory + " (this SSH session)"

// logoutTimeout bounds ending, at the server, the sessions a closed
// connection leaves behind.
const logoutTimeout = 5 * time.Second

// programMiddleware is wish's bubbletea middleware with a program of our
// own per session; colour profiles are the client's own (none forced).
func (s *Server) programMiddleware() wish.Middleware {
	return bm.MiddlewareWithProgramHandler(s.newProgram, termenv.Ascii)
}

// newProgram builds the Bubble Tea program of one session: its renderer
// on the session (colour profile from its TERM, background asked of its
// terminal), its Env — a session manager on a client of its own, a token
// store in its memory, a memory of who signed in — its clipboard (the
// session's own output) and its watch over idle time and session length.
func (s *Server) newProgram(sess ssh.Session) *tea.Program {
	v := visitOf(sess.Context())
	pty, _, _ := sess.Pty()
	environ := append(sess.Environ(), "TERM="+pty.Term)
	r := bm.MakeRenderer(sess)    // its profile honours the client's NO_COLOR (ssh SendEnv)
	dark := r.HasDarkBackground() // wish asked the terminal, inside tmux too
	if theme, err := ui.ParseTheme(getenv(environ, "TWOFA_THEME")); err == nil {
		if d, forced := theme.Forced(); forced {
			dark = d // the client's own TWOFA_THEME (ssh SendEnv) wins
		}
	}
	r.SetHasDarkBackground(dark)
	out := &lockedWriter{w: sess}
	store := keyring.NewMemory(StorageName)
	mgr := session.New(s.opts.Client.ForPeer(v.addr.String()), store, signIns{v})
	env := &screens.Env{Sessions: mgr, Demo: s.opts.Demo, Timeout: s.opts.RequestTimeout}
	app := screens.New(env, screens.Options{
		Renderer: r, Dark: dark, Words: s.words, Now: s.opts.Now,
		Terminal: clipboard.Remote(out, pty.Term),
	})
	v.keep(mgr, store)
	// Frames go through a writer of this session's own, which sends only
	// the cells they change and puts the cursor at the focused field.
	p := tea.NewProgram(app, append(cellwriter.New(out).Options(),
		tea.WithInput(&keys{r: sess, v: v, now: s.opts.Now}),
		tea.WithAltScreen(),
		tea.WithoutSignalHandler(),
		tea.WithEnvironment(environ),
	)...)
	go s.watch(sess.Context(), v)
	v.setProgram(p)
	return p
}

// getenv is the value of key in environ (KEY=value lines), "" if unset.
func getenv(environ []string, key string) string {
	v := ""
	for _, kv := range environ {
		if k, val, ok := strings.Cut(kv, "="); ok && k == key {
			v = val
		}
	}
	return v
}

// watch ends the session after IdleTimeout without input or MaxSession in
// all, whichever comes first, or returns when ctx ends.
func (s *Server) watch(ctx context.Context, v *visit) {
	idle := time.NewTimer(s.opts.IdleTimeout)
	defer idle.Stop()
	whole := time.NewTimer(s.opts.MaxSession - s.opts.Now().Sub(v.start))
	defer whole.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-whole.C:
			v.end(endedMax)
		case <-idle.C:
			quiet := v.quietFor(s.opts.Now())
			if quiet < s.opts.IdleTimeout {
				idle.Reset(s.opts.IdleTimeout - quiet)
				continue
			}
			v.end(endedIdle)
		}
		<-ctx.Done()
		return
	}
}

// endSessions ends at the server every session still held in the
// connection's memory, so none outlives the connection that signed it in
// (a server without logout keeps it until it expires; no one here has it).
func (s *Server) endSessions(v *visit) {
	mgr, store := v.kept()
	if mgr == nil {
		return // no program ran
	}
	users, routes := v.signIns()
	for _, user := range users {
		tok, err := store.Load(mgr.Server(), user)
		if err != nil || tok == "" {
			continue // logged out already
		}
		ctx, cancel := context.WithTimeout(context.Background(), logoutTimeout)
		_, _ = mgr.Logout(ctx, session.Session{User: user, Token: tok, Portal: clientPortal(routes[user])})
		cancel()
	}
}

// keys is the session's input as the program reads it: terminal replies
// taken out (replyFilter), and every key a sign of life for the idle
// timeout.
type keys struct {
	r       io.Reader
	v       *visit
	now     func() time.Time
	replies replyFilter
}

// Read reads keys and notes the time; it never returns 0 bytes without an
// error (a read that held only replies is followed by the next one).
func (k *keys) Read(p []byte) (int, error) {
	if len(p) == 0 {
		return 0, nil
	}
	for {
		n, err := k.r.Read(p)
		kept := k.replies.filter(p[:n])
		if len(kept) > 0 {
			k.v.touched(k.now())
		}
		if len(kept) > 0 || err != nil {
			return len(kept), err
		}
	}
}

// lockedWriter is the session's output, one write at a time: the
// program's frames and the clipboard's OSC 52 never interleave (the SSH
// channel may cut one write into several packets).
type lockedWriter struct {
	mu sync.Mutex
	w  io.Writer
}

// Write writes p whole before any other write.
func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}
