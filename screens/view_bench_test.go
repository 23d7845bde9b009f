package screens

import (
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/twofa/twofa/client"
	"github.com/twofa/twofa/session"
)

// benchEnv is an Env whose client points at a closed loopback port: View
// never does I/O, so nothing is ever sent.
func benchEnv(b *testing.B) *Env {
	b.Helper()
	c, err := client.New(client.Options{Server: "http://127.0.0.1:9", UserAgentVersion: "bench"})
	if err != nil {
		b.Fatal(err)
	}
	return &Env{Sessions: session.New(c, nil, nil)}
}

// BenchmarkScreenView is each screen's View at 80x24, the work behind every
// frame Bubble Tea draws (and so behind every keystroke's bytes).
func BenchmarkScreenView(b *testing.B) {
	env := benchEnv(b)
	c := testCommon(func() time.Time { return testStart })
	c.SetSize(80, 24)
	sess := &current{Session: session.Session{User: "alice", Token: "t"}}
	codes := []string{"ABCDE-FGHJK", "MNPQR-STVWX", "YZ012-34567", "89ABC-DEFGH", "JKMNP-QRSTV",
		"WXYZ0-12345", "6789A-BCDEF", "GHJKM-NPQRS", "TVWXY-Z0123", "45678-9ABCD"}
	views := []struct {
		name string
		view func() string
	}{
		{"login", sized(newLogin(c, env, "alice", "", false)).View},
		{"verify", sized(newVerify(c, env, needSecondFactorMsg{pending: session.Pending{User: "alice", Token: "t"}, started: testStart})).View},
		{"security", sized(newSecurity(c, env, sess, "", false)).View},
		{"enable", sized(newEnable(c, env, sess)).View},
		{"codes", newBackupCodesView(c, env, "alice", "Save these codes.", codes, true).setSize(78, 22).view},
		{"regenerate", sized(newRegenerate(c, env, sess)).View},
		{"disable", sized(newDisable(c, env, sess)).View},
		{"app", func() func() string {
			a := New(env, testOptions(c.Now))
			m, _ := a.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
			return m.View
		}()},
	}
	for _, v := range views {
		b.Run(v.name, func(b *testing.B) {
			if v.view() == "" {
				b.Fatal("empty view")
			}
			b.ReportAllocs()
			for b.Loop() {
				_ = v.view()
			}
		})
	}
}

// sized gives a screen the body size the app gives it at 80x24.
func sized[S interface{ SetSize(w, h int) }](s S) S {
	s.SetSize(78, 22)
	return s
}
