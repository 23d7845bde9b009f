package client

import (
	"bytes"
	"context"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/twofa/twofa/internal/harness/fakecopilot"
)

func TestNormalizeBase(t *testing.T) {
	tests := []struct {
		in        string
		allowHTTP bool
		want      string
		wantKind  string // TransportError kind expected
		wantErr   bool
	}{
		{in: "https://copilot.example.com", want: "https://copilot.example.com"},
		{in: "https://copilot.example.com/", want: "https://copilot.example.com"},
		{in: "https://copilot.example.com/api", want: "https://copilot.example.com"},
		{in: "https://copilot.example.com/api/", want: "https://copilot.example.com"},
		{in: "https://Example.COM:8443/soc/", want: "https://example.com:8443/soc"},
		{in: "https://example.com/soc/api", want: "https://example.com/soc"},
		{in: "copilot.example.com", want: "https://copilot.example.com"},
		{in: "  https://example.com  ", want: "https://example.com"},
		{in: "http://127.0.0.1:8000", want: "http://127.0.0.1:8000"},
		{in: "http://127.3.4.5:8000", want: "http://127.3.4.5:8000"},
		{in: "http://localhost:8000/api", want: "http://localhost:8000"},
		{in: "http://[::1]:8000", want: "http://[::1]:8000"},
		{in: "http://example.com", wantKind: KindHTTPRefused},
		{in: "http://10.0.0.5:8000", wantKind: KindHTTPRefused},
		{in: "http://localhost.example.com", wantKind: KindHTTPRefused},
		{in: "http://128.0.0.1", wantKind: KindHTTPRefused},
		{in: "http://example.com", allowHTTP: true, want: "http://example.com"},
		{in: "", wantErr: true},
		{in: "ftp://example.com", wantErr: true},
		{in: "https://user:pw@example.com", wantErr: true},
		{in: "https://example.com/?x=1", wantErr: true},
		{in: "https://", wantErr: true},
	}
	for _, tt := range tests {
		got, err := normalizeBase(tt.in, tt.allowHTTP)
		var tr *TransportError
		switch {
		case tt.wantKind != "":
			if !errors.As(err, &tr) || tr.Kind != tt.wantKind {
				t.Errorf("normalizeBase(%q) err = %v, want kind %s", tt.in, err, tt.wantKind)
			}
		case tt.wantErr:
			if err == nil {
				t.Errorf("normalizeBase(%q) = %q, want an error", tt.in, got)
			}
		case err != nil || got != tt.want:
			t.Errorf("normalizeBase(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
		if err != nil && strings.Contains(err.Error(), "pw@") {
			t.Errorf("error %q repeats the credentials", err)
		}
	}
}

// TestHTTPRefusedBeforeAnyRequest: New itself refuses plain http to a
// non-loopback host, so no Client exists that could send a byte.
func TestHTTPRefusedBeforeAnyRequest(t *testing.T) {
	c, err := New(Options{Server: "http://lan.example:8000"})
	var tr *TransportError
	if c != nil || !errors.As(err, &tr) || tr.Kind != KindHTTPRefused {
		t.Fatalf("New = %v, %v; want nil and http_refused", c, err)
	}
	if tr.Server != "http://lan.example:8000" {
		t.Fatalf("Server = %q", tr.Server)
	}
	if _, err := New(Options{Server: "http://lan.example:8000", AllowHTTP: true}); err != nil {
		t.Fatalf("with AllowHTTP: %v", err)
	}
}

func TestIsLoopback(t *testing.T) {
	for host, want := range map[string]bool{
		"localhost": true, "LOCALHOST": true, "localhost.": true, "127.0.0.1": true, "127.255.0.9": true,
		"::1": true, "[::1]": true, "::ffff:127.0.0.1": true,
		"10.0.0.1": false, "0.0.0.0": false, "::": false, "example.com": false, "localhost.evil.com": false, "": false,
	} {
		if got := IsLoopback(host); got != want {
			t.Errorf("IsLoopback(%q) = %v, want %v", host, got, want)
		}
	}
}

func TestTransportFailures(t *testing.T) {
	ctx := context.Background()

	t.Run("refused", func(t *testing.T) {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		url := "http://" + ln.Addr().String()
		ln.Close()
		c, _ := newAgainst(t, url)
		_, err = c.Health(ctx)
		var tr *TransportError
		if !errors.As(err, &tr) || tr.Kind != KindRefused {
			t.Fatalf("err = %v, want refused", err)
		}
		if tr.Server != url || !errors.Is(err, syscall.ECONNREFUSED) {
			t.Fatalf("err = %v, want ECONNREFUSED from %s", err, url)
		}
	})

	t.Run("TLS unknown authority, then trusted with --ca-cert", func(t *testing.T) {
		srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			_, _ = w.Write([]byte(`{"status":"ok","version":"t"}`))
		}))
		defer srv.Close()
		c, _ := newAgainst(t, srv.URL)
		_, err := c.Health(ctx)
		var tr *TransportError
		if !errors.As(err, &tr) || tr.Kind != KindTLS {
			t.Fatalf("err = %v, want tls", err)
		}
		if !errors.As(err, new(x509.UnknownAuthorityError)) {
			t.Fatalf("err = %v, want an unknown authority", err)
		}
		ca := filepath.Join(t.TempDir(), "ca.pem")
		pemBytes := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw})
		if err := os.WriteFile(ca, pemBytes, 0o600); err != nil {
			t.Fatal(err)
		}
		c2, err := New(Options{Server: srv.URL, CACertFile: ca})
		if err != nil {
			t.Fatal(err)
		}
		h, err := c2.Health(ctx)
		if err != nil || h.Status != "ok" {
			t.Fatalf("with --ca-cert: %+v, %v", h, err)
		}
	})

	t.Run("https to a plain-HTTP server", func(t *testing.T) {
		srv := httptest.NewServer(http.NotFoundHandler())
		defer srv.Close()
		c, _ := newAgainst(t, strings.Replace(srv.URL, "http://", "https://", 1))
		_, err := c.Health(ctx)
		var tr *TransportError
		if !errors.As(err, &tr) || tr.Kind != KindTLS {
			t.Fatalf("err = %v, want tls", err)
		}
		if !errors.Is(err, ErrPlainHTTPAnswer) {
			t.Fatalf("err = %v, want ErrPlainHTTPAnswer", err)
		}
	})

	t.Run("bad CA file", func(t *testing.T) {
		p := filepath.Join(t.TempDir(), "junk.pem")
		_ = os.WriteFile(p, []byte("not a cert"), 0o600)
		if _, err := New(Options{Server: "https://example.com", CACertFile: p}); err == nil {
			t.Fatal("junk CA file accepted")
		}
	})

	t.Run("deadline", func(t *testing.T) {
		release := make(chan struct{})
		srv := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { <-release }))
		defer srv.Close()
		defer close(release)
		c, _ := newAgainst(t, srv.URL)
		dctx, cancel := context.WithTimeout(ctx, 50*time.Millisecond)
		defer cancel()
		_, err := c.Health(dctx)
		var tr *TransportError
		if !errors.As(err, &tr) || tr.Kind != KindTimeout {
			t.Fatalf("err = %v, want timeout", err)
		}
	})

	t.Run("cancel", func(t *testing.T) {
		release := make(chan struct{})
		srv := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { <-release }))
		defer srv.Close()
		defer close(release)
		c, _ := newAgainst(t, srv.URL)
		cctx, cancel := context.WithCancel(ctx)
		go func() { time.Sleep(20 * time.Millisecond); cancel() }()
		_, err := c.Health(cctx)
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("err = %v, want context.Canceled", err)
		}
	})

	t.Run("dns", func(t *testing.T) {
		err := &TransportError{Server: "https://nope.invalid", Kind: netKind(&net.DNSError{Err: "no such host", Name: "nope.invalid", IsNotFound: true}),
			Err: &net.DNSError{Err: "no such host", Name: "nope.invalid", IsNotFound: true}}
		if err.Kind != KindDNS {
			t.Fatalf("kind = %s", err.Kind)
		}
	})
}

// dropFirst closes the connection without an answer on the first n requests.
type dropFirst struct {
	n    int32
	seen atomic.Int32
	next http.Handler
}

func (d *dropFirst) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if d.seen.Add(1) <= d.n {
		conn, _, err := w.(http.Hijacker).Hijack()
		if err == nil {
			conn.Close()
		}
		return
	}
	d.next.ServeHTTP(w, r)
}

// TestRetriesOnlyIdempotentGETs: a GET that met a dropped connection is
// retried; a POST carrying a code is sent once and never again.
func TestRetriesOnlyIdempotentGETs(t *testing.T) {
	ctx := context.Background()
	e := newCoPilot(t)
	e.fake.AddUser("alice", "pw", fakecopilot.RoleAnalyst)
	d := &dropFirst{next: e.fake}
	srv := httptest.NewServer(d)
	defer srv.Close()
	c, tokens := newAgainst(t, srv.URL)
	lr, err := c.Login(ctx, "alice", "pw")
	if err != nil {
		t.Fatal(err)
	}
	tokens.Set(lr.AccessToken)

	d.seen.Store(0)
	d.n = 1
	if _, err := c.TwoFAStatus(ctx); err != nil {
		t.Fatalf("GET after one dropped connection: %v", err)
	}
	if got := d.seen.Load(); got != 2 {
		t.Fatalf("GET attempts = %d, want 2", got)
	}

	d.seen.Store(0)
	_, err = c.VerifySetup(ctx, "123456")
	var tr *TransportError
	if !errors.As(err, &tr) || tr.Kind != KindNetwork {
		t.Fatalf("POST err = %v, want network TransportError", err)
	}
	if got := d.seen.Load(); got != 1 {
		t.Fatalf("POST attempts = %d, want exactly 1", got)
	}
}

func TestClockDrift(t *testing.T) {
	local := time.Date(2030, 5, 6, 7, 8, 9, 0, time.UTC)
	serverAhead := 40 * time.Second
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Date", local.Add(serverAhead).Format(http.TimeFormat))
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"status":"ok","version":"x"}`))
	}))
	defer srv.Close()
	c, _ := newAgainst(t, srv.URL)
	if k := c.Clock(); k.Known || k.Drifted() {
		t.Fatalf("before any response: %+v", k)
	}
	c.clock.now = func() time.Time { return local.Add(300 * time.Millisecond) }
	if _, err := c.Health(context.Background()); err != nil {
		t.Fatal(err)
	}
	k := c.Clock()
	if !k.Known || k.Offset != serverAhead || !k.Drifted() {
		t.Fatalf("clock = %+v, want offset %v and drifted", k, serverAhead)
	}
	if got := k.ServerNow(local); !got.Equal(local.Add(serverAhead)) {
		t.Fatalf("ServerNow = %v", got)
	}
}

func TestClockSteps(t *testing.T) {
	base := time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC) // a step boundary
	tests := []struct {
		offset  time.Duration
		at      time.Duration
		left    int
		drifted bool
	}{
		{0, 0, 30, false},
		{0, 1 * time.Second, 29, false},
		{0, 29*time.Second + 900*time.Millisecond, 1, false},
		{10 * time.Second, 0, 20, false},
		{15 * time.Second, 0, 15, false},
		{16 * time.Second, 0, 14, true},
		{-16 * time.Second, 0, 16, true},
		{-5 * time.Second, 0, 5, false},
	}
	for _, tt := range tests {
		k := Clock{Offset: tt.offset, Known: true}
		if got := k.SecondsLeftInStep(base.Add(tt.at)); got != tt.left {
			t.Errorf("offset %v at +%v: left = %d, want %d", tt.offset, tt.at, got, tt.left)
		}
		if k.Drifted() != tt.drifted {
			t.Errorf("offset %v: drifted = %v", tt.offset, k.Drifted())
		}
	}
	if (Clock{Offset: time.Hour}).Drifted() {
		t.Error("an unknown clock reports drift")
	}
}

func TestUserAgentAndTokenOnlyInHeader(t *testing.T) {
	var ua, auth, query string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ua, auth, query = r.UserAgent(), r.Header.Get("Authorization"), r.URL.RawQuery
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"enabled":true,"message":"","success":true}`))
	}))
	defer srv.Close()
	h := NewTokenHolder()
	h.Set("tok-abc")
	c, err := New(Options{Server: srv.URL, Tokens: h, UserAgentVersion: "1.2.3"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.TwoFAStatus(context.Background()); err != nil {
		t.Fatal(err)
	}
	if ua != "twofa/1.2.3" || auth != "Bearer tok-abc" || query != "" {
		t.Fatalf("ua=%q auth=%q query=%q", ua, auth, query)
	}
}

// TestDebugLogRedacts runs a full enrollment and sign-in with a debug log
// and checks that no password, code, secret or token reaches it.
func TestDebugLogRedacts(t *testing.T) {
	ctx := context.Background()
	e := newCoPilot(t)
	e.fake.AddUser("carol", "pa55-w0rd!", fakecopilot.RoleAnalyst)
	var log bytes.Buffer
	h := NewTokenHolder()
	c, err := New(Options{Server: e.url, Tokens: h, Debug: &log})
	if err != nil {
		t.Fatal(err)
	}
	var secrets []string
	lr, err := c.Login(ctx, "carol", "pa55-w0rd!")
	if err != nil {
		t.Fatal(err)
	}
	h.Set(lr.AccessToken)
	secrets = append(secrets, "pa55-w0rd!", lr.AccessToken)
	setup, err := c.Setup(ctx, "pa55-w0rd!")
	if err != nil {
		t.Fatal(err)
	}
	secrets = append(secrets, setup.Secret, setup.OTPAuthURL)
	secrets = append(secrets, setup.BackupCodes...)
	code := e.code(t, setup.Secret, 0)
	if _, err := c.VerifySetup(ctx, code); err != nil {
		t.Fatal(err)
	}
	e.clk.Advance(30 * time.Second)
	lr2, err := c.Login(ctx, "carol", "pa55-w0rd!")
	if err != nil {
		t.Fatal(err)
	}
	code2 := e.code(t, setup.Secret, 0)
	tok, err := c.ValidateTOTP(ctx, lr2.AccessToken, code2)
	if err != nil {
		t.Fatal(err)
	}
	secrets = append(secrets, code, code2, lr2.AccessToken, tok.AccessToken)
	_, _ = c.DisableBackup(ctx, setup.BackupCodes[3])

	out := log.String()
	for _, s := range secrets {
		if strings.Contains(out, s) {
			t.Errorf("debug log contains a secret %q", s)
		}
	}
	for _, want := range []string{"--> POST /api/auth/token", "password=%5Bredacted%5D", "username=carol",
		`"secret":"[redacted]"`, `"backup_codes":"[redacted]"`, "Authorization: [redacted]", "<-- 200 OK", "--> DELETE /api/auth/2fa/disable",
		`"backup_code":"[redacted]"`, `"temp_token":"[redacted]"`} {
		if !strings.Contains(out, want) {
			t.Errorf("debug log lacks %q", want)
		}
	}
	if t.Failed() {
		t.Log(out)
	}
}

func TestRedactBody(t *testing.T) {
	tests := []struct{ ctype, body, want string }{
		{"application/json", `{"code":"123456","x":1}`, `{"code":"[redacted]","x":1}`},
		{"application/json", `{"detail":[{"loc":["body"],"input":{"password":"p"}}]}`, `{"detail":[{"input":{"password":"[redacted]"},"loc":["body"]}]}`},
		{"application/x-www-form-urlencoded", "username=a&password=b", "password=%5Bredacted%5D&username=a"},
		{"text/html", "<html>secret</html>", "(19 bytes of text/html, not shown)"},
		{"application/json", `{"code":`, "(8 bytes of invalid JSON, not shown)"},
	}
	for _, tt := range tests {
		if got := redactBody(tt.ctype, []byte(tt.body)); got != tt.want {
			t.Errorf("redactBody(%q) = %s, want %s", tt.body, got, tt.want)
		}
	}
}
