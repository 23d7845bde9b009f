package app

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/twofa/twofa/internal/harness/vtterm"
	"github.com/twofa/twofa/server"
	"github.com/twofa/twofa/server/servertest"
	"github.com/twofa/twofa/sshui"
	gossh "golang.org/x/crypto/ssh"
)

func TestGatewayOptions(t *testing.T) {
	env := map[string]string{"HOME": "/home/u"}
	tests := []struct {
		name    string
		env     map[string]string
		args    []string
		check   func(o *GatewayOptions) bool
		wantErr string
	}{
		{"defaults", env, []string{"--ssh", "0.0.0.0:2222", "--server", "https://copilot.example.com"}, func(o *GatewayOptions) bool {
			return o.SSH.HostKey == "/home/u/.local/share/twofa/"+sshui.HostKeyName && o.SSH.IdleTimeout == 10*time.Minute &&
				o.SSH.MaxSession == time.Hour && o.SSH.MaxSessions == 100 && o.SSH.RatePerMinute == 10 && o.Client.Server == "https://copilot.example.com"
		}, ""},
		{"server from the environment", map[string]string{"HOME": "/h", "TWOFA_SERVER": "https://c.example", "XDG_DATA_HOME": "/data"}, []string{"--ssh", ":2222"},
			func(o *GatewayOptions) bool {
				return o.Client.Server == "https://c.example" && o.SSH.HostKey == "/data/twofa/"+sshui.HostKeyName
			}, ""},
		{"policy flags", env, []string{"--ssh", ":2222", "--server", "https://c", "--ssh-idle-timeout", "5m", "--ssh-max-session", "30m", "--ssh-max-sessions", "7", "--ssh-rate", "3", "--ssh-host-key", "/etc/twofa/key", "--ca-cert", "/ca.pem", "--allow-http"},
			func(o *GatewayOptions) bool {
				return o.SSH.IdleTimeout == 5*time.Minute && o.SSH.MaxSession == 30*time.Minute && o.SSH.MaxSessions == 7 &&
					o.SSH.RatePerMinute == 3 && o.SSH.HostKey == "/etc/twofa/key" && o.Client.CACert == "/ca.pem" && o.Client.AllowHTTP
			}, ""},
		{"no --ssh", env, []string{"--server", "https://c"}, nil, "needs --ssh"},
		{"no server", env, []string{"--ssh", ":2222"}, nil, "--server"},
		{"bad address", env, []string{"--ssh", "2222", "--server", "https://c"}, nil, "HOST:PORT"},
		{"zero idle timeout", env, []string{"--ssh", ":2222", "--server", "https://c", "--ssh-idle-timeout", "0s"}, nil, "--ssh-idle-timeout"},
		{"no sessions", env, []string{"--ssh", ":2222", "--server", "https://c", "--ssh-max-sessions", "0"}, nil, "--ssh-max-sessions"},
		{"no home", map[string]string{}, []string{"--ssh", ":2222", "--server", "https://c"}, nil, "--ssh-host-key"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got *GatewayOptions
			f := envFactory(tt.env, nil, io.Discard, io.Discard)
			flags := &ClientFlags{}
			cmd := NewCmdGateway(f, flags, func(o *GatewayOptions) error { got = o; return nil })
			flags.RegisterServer(cmd.Flags()) // as the root command does
			expectParsed(t, cmd, tt.args, &got, tt.check, tt.wantErr)
		})
	}
}

// TestShownAddr: a wildcard listen address is shown as this machine's name.
func TestShownAddr(t *testing.T) {
	name, err := os.Hostname()
	if err != nil {
		t.Skip(err)
	}
	for addr, want := range map[string]string{"0.0.0.0:8080": net.JoinHostPort(name, "8080"), "[::]:8080": net.JoinHostPort(name, "8080"), "127.0.0.1:8080": "127.0.0.1:8080"} {
		a, err := net.ResolveTCPAddr("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		if got := shownAddr(a); got != want {
			t.Errorf("shownAddr(%s) = %s, want %s", addr, got, want)
		}
	}
}

// TestInProcessTransport: the person's address named in X-Forwarded-For
// becomes the request's remote address and the header is gone; the answer
// has its status, body and a Date.
func TestInProcessTransport(t *testing.T) {
	var remote, xff string
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		remote, xff = r.RemoteAddr, r.Header.Get("X-Forwarded-For")
		w.WriteHeader(http.StatusTeapot)
		_, _ = w.Write([]byte(`{"detail":"short and stout"}`))
	})
	req, _ := http.NewRequest(http.MethodGet, "http://twofa.example:8080/api/health", nil)
	req.Header.Set("X-Forwarded-For", "2001:db8::7")
	res, err := inProcess{handler: h}.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	if remote != "[2001:db8::7]:0" || xff != "" || res.StatusCode != http.StatusTeapot || string(body) != `{"detail":"short and stout"}` || res.Header.Get("Date") == "" {
		t.Fatalf("remote %q xff %q status %d body %s date %q", remote, xff, res.StatusCode, body, res.Header.Get("Date"))
	}
	req.Header.Set("X-Forwarded-For", "not an address")
	if _, err := (inProcess{handler: h}).RoundTrip(req); err != nil || remote != "127.0.0.1:0" {
		t.Fatalf("without a valid address: remote %q, %v", remote, err)
	}
}

// TestDemoSSH: `twofa demo --ssh` prints an ssh command and a fingerprint
// that match what it serves — the sign-in screen with the demo account —
// and ends on its context.
func TestDemoSSH(t *testing.T) {
	out := &servertest.LogBuffer{}
	f := envFactory(map[string]string{}, nil, out, io.Discard)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- runDemo(ctx, &DemoOptions{Factory: f, Username: "demo", SSH: "127.0.0.1:0"}) }()
	printed := regexp.MustCompile(`ssh -p (\d+) -o StrictHostKeyChecking=accept-new -o UserKnownHostsFile=/dev/null localhost(?s:.*)password (\w+)(?s:.*)Host key (SHA256:\S+)`)
	m := waitWritten(t, out, printed)
	c, err := gossh.Dial("tcp", "127.0.0.1:"+m[1], &gossh.ClientConfig{
		User: "demo",
		HostKeyCallback: func(_ string, _ net.Addr, key gossh.PublicKey) error {
			if gossh.FingerprintSHA256(key) != m[3] {
				return errors.New("host key is not the one printed")
			}
			return nil
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	vt := attachTerm(t, c)
	if err := vt.WaitText([]string{"Sign in", "Demo account", "password  " + m[2]}, 10*time.Second); err != nil {
		t.Fatal(err)
	}
	shutDown(t, cancel, vt, done)
}

// waitWritten waits up to 10 s for re to match what was written to out and
// returns the match.
func waitWritten(t *testing.T, out *servertest.LogBuffer, re *regexp.Regexp) []string {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		if m := re.FindStringSubmatch(out.String()); m != nil {
			return m
		}
		if time.Now().After(deadline) {
			t.Fatalf("no match for %s in:\n%s", re, out.String())
		}
	}
}

// shutDown cancels a running server's context: the SSH session on vt is
// told, and the run (its result on done) ends without an error.
func shutDown(t *testing.T, cancel context.CancelFunc, vt *vtterm.Term, done <-chan error) {
	t.Helper()
	cancel()
	if err := vt.WaitText([]string{"the server is shutting down"}, 10*time.Second); err != nil {
		t.Fatal(err)
	}
	if err := <-done; err != nil {
		t.Fatalf("the run ended with %v", err)
	}
}

// TestRunServeSSH: `twofa serve --ssh` serves the UI in front of its own
// API, in-process: a person signs in over SSH, the log names them and not
// their password, and shutdown tells the session.
func TestRunServeSSH(t *testing.T) {
	logs := &servertest.LogBuffer{}
	dir := t.TempDir()
	dsn := "sqlite:" + dir + "/twofa.db"
	srv, err := server.Open(context.Background(), server.Options{DSN: dsn, JWTSecret: serveTestSecret})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := srv.CreateUser(context.Background(), "erin", "erin's long password", "user"); err != nil {
		t.Fatal(err)
	}
	_ = srv.Close()
	o := &ServeOptions{
		Factory: envFactory(nil, nil, io.Discard, logs), Addr: "127.0.0.1:0", DB: dsn,
		JWTSecret: serveTestSecret, AccessTTL: time.Hour, LogFormat: "text",
		SSH: SSHFlags{Addr: "127.0.0.1:0", HostKey: filepath.Join(dir, sshui.HostKeyName), IdleTimeout: time.Minute, MaxSession: time.Hour, MaxSessions: 4, RatePerMinute: 10},
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- runServe(ctx, o) }()
	listening := regexp.MustCompile(`msg="twofa ssh listening" addr=(127\.0\.0\.1:\d+)`)
	m := waitWritten(t, logs, listening)
	key, err := sshui.LoadHostKey(o.SSH.HostKey)
	if err != nil {
		t.Fatal(err)
	}
	c, err := gossh.Dial("tcp", m[1], &gossh.ClientConfig{User: "x", HostKeyCallback: gossh.FixedHostKey(key.Signer.PublicKey())})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	vt := attachTerm(t, c)
	if err := vt.WaitText([]string{"Sign in", "Username"}, 10*time.Second); err != nil {
		t.Fatal(err)
	}
	_ = vt.Send("erin\r")
	_ = vt.Send("erin's long password\r")
	if err := vt.WaitText([]string{"· erin", "memory only (this SSH session)"}, 10*time.Second); err != nil {
		t.Fatal(err)
	}
	shutDown(t, cancel, vt, done)
	if l := logs.String(); !strings.Contains(l, "users=erin") || strings.Contains(l, "erin's long password") {
		t.Fatalf("log:\n%s", l)
	}
}

// attachTerm opens an 80x24 terminal session on c and keeps its screen.
func attachTerm(t *testing.T, c *gossh.Client) *vtterm.Term {
	t.Helper()
	sess, err := c.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	stream, err := vtterm.SSHStream(sess)
	if err != nil {
		t.Fatal(err)
	}
	if err := sess.RequestPty("xterm", vtterm.Rows, vtterm.Cols, gossh.TerminalModes{}); err != nil {
		t.Fatal(err)
	}
	if err := sess.Shell(); err != nil {
		t.Fatal(err)
	}
	vt := vtterm.Attach(stream, vtterm.Options{})
	t.Cleanup(func() { _ = vt.Kill() })
	return vt
}
