package app

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/twofa/twofa/client"
	"github.com/twofa/twofa/internal/config"
	"github.com/twofa/twofa/internal/harness/fakecopilot"
	"github.com/twofa/twofa/internal/wire"
	"github.com/twofa/twofa/keyring"
	"github.com/twofa/twofa/server/servertest"
	"github.com/twofa/twofa/session"
)

// refServer starts the real reference server on a temp SQLite file with
// one user, alice.
func refServer(t *testing.T) *servertest.Server {
	t.Helper()
	s := servertest.New(t, servertest.Options{})
	s.CreateUser(t, "alice", "alice-password-1", "user")
	return s
}

// copilotStart is the CoPilot-shaped server's clock: whole minutes, so the
// session's expiry reads exactly.
var copilotStart = time.Now().UTC().Truncate(time.Minute)

// copilotServer starts the CoPilot-shaped server (no /me, /logout or
// /health; JWT sessions of 24 h) with one user, alice.
func copilotServer(t *testing.T) *httptest.Server {
	t.Helper()
	fake := fakecopilot.New(func() time.Time { return copilotStart })
	fake.AddUser("alice", "alice-password-1", fakecopilot.RoleAnalyst)
	hs := httptest.NewServer(fake)
	t.Cleanup(hs.Close)
	return hs
}

// testFactory is a Factory with captured output and a private config home.
func testFactory(t *testing.T, env map[string]string) (*Factory, *bytes.Buffer, *bytes.Buffer) {
	t.Helper()
	out, errOut := &bytes.Buffer{}, &bytes.Buffer{}
	home := t.TempDir()
	f := &Factory{
		IO: IOStreams{In: strings.NewReader(""), Out: out, ErrOut: errOut},
		Getenv: func(k string) string {
			if v, ok := env[k]; ok {
				return v
			}
			if k == "XDG_CONFIG_HOME" {
				return filepath.Join(home, ".config")
			}
			if k == "HOME" {
				return home
			}
			return ""
		},
	}
	return f, out, errOut
}

// signIn signs alice in with a real password sign-in and keeps the session
// the way the TUI does (session.Manager's SignIn and Save).
func signIn(t *testing.T, f *Factory, serverURL string) string {
	t.Helper()
	conn, err := (&ClientFlags{Server: serverURL}).Open(f)
	if err != nil {
		t.Fatal(err)
	}
	res, err := conn.Sessions.SignIn(context.Background(), "alice", "alice-password-1")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := conn.Sessions.Save(res.Session); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = conn.Sessions.Forget("alice") })
	return res.Session.Token
}

func exitCode(err error) int {
	if err == nil {
		return 0
	}
	var ee *ExitError
	if errors.As(err, &ee) {
		return ee.Code
	}
	return 1
}

func runCmd(t *testing.T, f *Factory, args ...string) error {
	t.Helper()
	flags := &ClientFlags{}
	root := NewCmdStatus(f, flags, nil)
	if args[0] == "logout" {
		root = NewCmdLogout(f, flags, nil)
	}
	flags.Register(root.Flags())
	root.SilenceUsage, root.SilenceErrors = true, true // as under the real root command
	root.SetArgs(args[1:])
	root.SetOut(f.IO.Out)
	root.SetErr(f.IO.ErrOut)
	return root.Execute()
}

func TestStatusFlagParsing(t *testing.T) {
	f, _, _ := testFactory(t, nil)
	var got *StatusOptions
	flags := &ClientFlags{}
	cmd := NewCmdStatus(f, flags, func(o *StatusOptions) error { got = o; return nil })
	flags.Register(cmd.Flags())
	cmd.SetArgs([]string{"--json", "--server", "https://x.example"})
	if err := cmd.Execute(); err != nil {
		t.Fatal(err)
	}
	if !got.JSON || got.Flags.Server != "https://x.example" {
		t.Fatalf("opts = %+v flags = %+v", got, got.Flags)
	}
	cmd = NewCmdStatus(f, flags, func(*StatusOptions) error { return nil })
	cmd.SetArgs([]string{"extra"})
	cmd.SetErr(&bytes.Buffer{})
	if err := cmd.Execute(); err == nil {
		t.Fatal("extra argument accepted")
	}
}

func TestStatus(t *testing.T) {
	ref := refServer(t)
	stock := copilotServer(t)
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	down := "http://" + ln.Addr().String()
	ln.Close()

	tests := []struct {
		name      string
		server    string
		signIn    bool
		revoke    bool
		wantExit  int
		wantJSON  map[string]any // fields checked in --json output
		wantText  string         // substring of the text output (or error)
		backupCnt bool           // expects backup-code counts (only via /me)
	}{
		{name: "not signed in", server: ref.URL, wantExit: 3, wantJSON: map[string]any{"signed_in": false, "reason": "no stored session"}, wantText: "Not signed in to " + ref.URL},
		{name: "signed in, reference", server: ref.URL, signIn: true, wantExit: 0,
			wantJSON: map[string]any{"signed_in": true, "user": "alice", "role": "user"}, wantText: "Signed in as:   alice (user)"},
		{name: "signed in, stock CoPilot", server: stock.URL, signIn: true, wantExit: 0,
			wantJSON: map[string]any{"signed_in": true, "user": "alice"}, wantText: "Two-factor:     off"},
		{name: "revoked session", server: ref.URL, signIn: true, revoke: true, wantExit: 3,
			wantJSON: map[string]any{"signed_in": false, "reason": "the stored session has expired or was revoked"}, wantText: "expired or was revoked"},
		{name: "not signed in, server down", server: down, wantExit: 1, wantText: "connection refused"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, asJSON := range []bool{true, false} {
				f, out, _ := testFactory(t, map[string]string{"TWOFA_SERVER": tt.server})
				if tt.signIn {
					tok := signIn(t, f, tt.server)
					if tt.revoke {
						h := client.NewTokenHolder()
						h.Set(tok)
						c, _ := client.New(client.Options{Server: tt.server, Tokens: h})
						if err := c.Logout(context.Background()); err != nil {
							t.Fatal(err)
						}
					}
				}
				args := []string{"status"}
				if asJSON {
					args = append(args, "--json")
				}
				err := runCmd(t, f, args...)
				if got := exitCode(err); got != tt.wantExit {
					t.Fatalf("json=%v exit = %d (%v), want %d; out:\n%s", asJSON, got, err, tt.wantExit, out)
				}
				if tt.wantExit == 1 {
					if !strings.Contains(err.Error(), tt.wantText) || !strings.Contains(err.Error(), tt.server) {
						t.Fatalf("error %q lacks %q or the server", err, tt.wantText)
					}
					continue
				}
				if !asJSON {
					if !strings.Contains(out.String(), tt.wantText) {
						t.Fatalf("text output %q lacks %q", out, tt.wantText)
					}
					continue
				}
				var rep map[string]any
				if err := json.Unmarshal(out.Bytes(), &rep); err != nil {
					t.Fatalf("not JSON: %v\n%s", err, out)
				}
				for k, v := range tt.wantJSON {
					if rep[k] != v {
						t.Errorf("%s = %v, want %v\n%s", k, rep[k], v, out)
					}
				}
				if tt.wantExit == 0 {
					if rep["storage"] == "" || rep["clock"] == nil || rep["two_factor"] == nil {
						t.Errorf("missing storage/clock/two_factor: %s", out)
					}
				}
			}
		})
	}
}

// TestStatusServerErrorExitsOne: a signed-in user whose server is down gets
// exit 1 and one line naming the server.
func TestStatusServerErrorExitsOne(t *testing.T) {
	ref := refServer(t)
	f, _, _ := testFactory(t, map[string]string{"TWOFA_SERVER": ref.URL})
	signIn(t, f, ref.URL)
	ref.Close()
	err := runCmd(t, f, "status")
	if exitCode(err) != 1 || !strings.Contains(err.Error(), ref.URL) || strings.Contains(err.Error(), "\n") {
		t.Fatalf("err = %v (exit %d)", err, exitCode(err))
	}
}

func TestLogout(t *testing.T) {
	for _, stock := range []bool{false, true} {
		name := map[bool]string{false: "reference revokes", true: "stock CoPilot cannot revoke"}[stock]
		t.Run(name, func(t *testing.T) {
			srvURL := refServer(t).URL
			if stock {
				srvURL = copilotServer(t).URL
			}
			f, out, _ := testFactory(t, map[string]string{"TWOFA_SERVER": srvURL})
			tok := signIn(t, f, srvURL)
			if err := runCmd(t, f, "logout"); err != nil {
				t.Fatal(err)
			}
			want := "revoked at the server"
			if stock {
				want = "Signed out alice here. " + srvURL + " cannot end sessions: the session stays valid there until " +
					copilotStart.Add(24*time.Hour).Local().Format("2006-01-02 15:04 MST") + ". Its token was deleted from this computer."
			}
			if !strings.Contains(out.String(), want) {
				t.Fatalf("output %q lacks %q", out, want)
			}
			// Gone locally.
			conn, _ := (&ClientFlags{}).Open(f)
			if _, err := conn.Keyring.Load(conn.Client.Server(), "alice"); !errors.Is(err, keyring.ErrNotFound) {
				t.Fatalf("token still stored: %v", err)
			}
			// Revoked remotely (reference only).
			h := client.NewTokenHolder()
			h.Set(tok)
			c, _ := client.New(client.Options{Server: srvURL, Tokens: h})
			_, err := c.TwoFAStatus(context.Background())
			var api *client.APIError
			revoked := errors.As(err, &api) && api.Code == wire.Unauthorized
			if revoked == stock {
				t.Fatalf("after logout, old token: err = %v (stock=%v)", err, stock)
			}
			// A second logout has nothing to do.
			out.Reset()
			if err := runCmd(t, f, "logout"); err != nil || !strings.Contains(out.String(), "Not signed in") {
				t.Fatalf("second logout: %v %q", err, out)
			}
		})
	}
}

func TestOpenResolvesServer(t *testing.T) {
	tests := []struct {
		name, flag, env, cfg, want string
		wantErr                    error
	}{
		{name: "flag wins", flag: "https://flag.example", env: "https://env.example", cfg: "https://cfg.example", want: "https://flag.example"},
		{name: "env next", env: "https://env.example/api", cfg: "https://cfg.example", want: "https://env.example"},
		{name: "config last", cfg: "https://cfg.example/prefix", want: "https://cfg.example/prefix"},
		{name: "none", wantErr: ErrNoServer},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, _, _ := testFactory(t, map[string]string{"TWOFA_SERVER": tt.env})
			path := config.PathFrom(f.Getenv)
			if tt.cfg != "" {
				if err := (&config.Config{Server: tt.cfg}).Save(path); err != nil {
					t.Fatal(err)
				}
			}
			conn, err := (&ClientFlags{Server: tt.flag}).Open(f)
			if tt.wantErr != nil {
				if !errors.Is(err, tt.wantErr) {
					t.Fatalf("err = %v, want %v", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if conn.Client.Server() != tt.want || conn.Config.Path() != path || conn.Keyring.Storage().Name != "" {
				t.Fatalf("server = %q path = %q storage = %+v", conn.Client.Server(), conn.Config.Path(), conn.Keyring.Storage())
			}
		})
	}
}

// TestStatusTimes: `status` says when 2FA was enabled as every screen does
// (words.Time: local zone, named); `status --json` carries it in UTC, RFC
// 3339, whatever zone the server's answer was in.
func TestStatusTimes(t *testing.T) {
	was := time.Local
	time.Local = time.FixedZone("CET", 3600)
	defer func() { time.Local = was }()
	at := time.Date(2030, 1, 2, 10, 0, 0, 0, time.FixedZone("EST", -5*3600)) // 15:00 UTC
	tests := []struct {
		name   string
		asJSON bool
		want   string
	}{
		{"text", false, "on since 2030-01-02 16:00 CET, 9 of 10 backup codes left"},
		{"json", true, `"enabled_at": "2030-01-02T15:00:00Z"`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rep := &statusReport{Server: "https://h", SignedIn: true}
			fillAccount(rep, "alice", session.Account{Me: &client.Me{Username: "alice", Role: "user",
				TwoFactor: client.TwoFactorInfo{Enabled: true, EnabledAt: &at, BackupCodesRemaining: 9, BackupCodesTotal: 10}}})
			var out strings.Builder
			if err := printStatus(&out, tc.asJSON, rep); err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(out.String(), tc.want) {
				t.Errorf("output lacks %q:\n%s", tc.want, out.String())
			}
		})
	}
}
