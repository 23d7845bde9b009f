package app

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/spf13/cobra"
	"github.com/twofa/twofa/server/servertest"
)

const serveTestSecret = "Zq8m-Vt3k-Pw7r-Lx2n-Hc5b-Jd9f-Ky4s-Ng6a"

func envFactory(env map[string]string, in io.Reader, out, errOut io.Writer) *Factory {
	return &Factory{IO: IOStreams{In: in, Out: out, ErrOut: errOut}, Getenv: func(k string) string { return env[k] }}
}

// expectParsed runs cmd with args, its output discarded; got is where its
// run function puts the options it received. With wantErr set the command
// must fail with a usage error (exit 2) that mentions it; otherwise it must
// succeed with options check accepts.
func expectParsed[O any](t *testing.T, cmd *cobra.Command, args []string, got **O, check func(*O) bool, wantErr string) {
	t.Helper()
	cmd.SetArgs(args)
	cmd.SetOut(io.Discard)
	cmd.SetErr(io.Discard)
	err := cmd.Execute()
	if wantErr != "" {
		var exit *ExitError
		if err == nil || !strings.Contains(err.Error(), wantErr) || !errors.As(err, &exit) || exit.Code != 2 {
			t.Fatalf("err = %v; want exit 2 mentioning %q", err, wantErr)
		}
		return
	}
	if err != nil || *got == nil || !check(*got) {
		t.Fatalf("err %v, options %+v", err, *got)
	}
}

func TestServeOptions(t *testing.T) {
	base := map[string]string{"JWT_SECRET": serveTestSecret, "HOME": "/home/u"}
	with := func(kv ...string) map[string]string {
		m := map[string]string{}
		for k, v := range base {
			m[k] = v
		}
		for i := 0; i < len(kv); i += 2 {
			m[kv[i]] = kv[i+1]
		}
		return m
	}
	tests := []struct {
		name    string
		env     map[string]string
		args    []string
		check   func(o *ServeOptions) bool
		wantErr string
	}{
		{"defaults", base, nil, func(o *ServeOptions) bool {
			return o.Addr == "127.0.0.1:8080" && o.DB == "sqlite:/home/u/.local/share/twofa/twofa.db" && o.AccessTTL == 24*time.Hour && o.Issuer == ""
		}, ""},
		{"XDG data dir", with("XDG_DATA_HOME", "/data"), nil, func(o *ServeOptions) bool { return o.DB == "sqlite:/data/twofa/twofa.db" }, ""},
		{"environment", with("TWOFA_ADDR", ":9000", "TWOFA_DB", "postgres://h/db", "TWOFA_ISSUER", "Acme", "ACCESS_TOKEN_EXPIRE_MINUTES", "30", "TOTP_ENCRYPTION_KEY", "k1,k2"), nil,
			func(o *ServeOptions) bool {
				return o.Addr == ":9000" && o.DB == "postgres://h/db" && o.Issuer == "Acme" && o.AccessTTL == 30*time.Minute && o.TOTPKeys == "k1,k2"
			}, ""},
		{"flags win", with("TWOFA_ADDR", ":9000", "TWOFA_DB", "postgres://h/db"), []string{"--addr", "127.0.0.1:1", "--db", "sqlite:/x.db", "--issuer", "Flag"},
			func(o *ServeOptions) bool {
				return o.Addr == "127.0.0.1:1" && o.DB == "sqlite:/x.db" && o.Issuer == "Flag"
			}, ""},
		{"trusted proxies", with("TWOFA_TRUSTED_PROXIES", "10.0.0.0/8, 192.168.1.1"), nil,
			func(o *ServeOptions) bool { return len(o.TrustedProxies) == 2 && o.TrustedProxies[1].Bits() == 32 }, ""},
		{"no JWT secret", with("JWT_SECRET", ""), nil, nil, "JWT_SECRET is required"},
		{"short JWT secret", with("JWT_SECRET", "short"), nil, nil, "too short"},
		{"placeholder JWT secret", with("JWT_SECRET", "please-changeme-please-changeme-0123456789"), nil, nil, "placeholder"},
		{"repetitive JWT secret", with("JWT_SECRET", strings.Repeat("ab", 20)), nil, nil, "repetitive"},
		{"bad TTL", with("ACCESS_TOKEN_EXPIRE_MINUTES", "soon"), nil, nil, "ACCESS_TOKEN_EXPIRE_MINUTES"},
		{"session max age", with("TWOFA_SESSION_MAX_AGE_MINUTES", "720"), nil, func(o *ServeOptions) bool { return o.SessionMaxAge == 12*time.Hour }, ""},
		{"bad session max age", with("TWOFA_SESSION_MAX_AGE_MINUTES", "0"), nil, nil, "TWOFA_SESSION_MAX_AGE_MINUTES"},
		{"cert without key", base, []string{"--tls-cert", "c.pem"}, nil, "go together"},
		{"bad proxy", base, []string{"--trusted-proxy", "nope"}, nil, "trusted proxy"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got *ServeOptions
			cmd := NewCmdServe(envFactory(tt.env, nil, io.Discard, io.Discard), func(o *ServeOptions) error { got = o; return nil })
			expectParsed(t, cmd, tt.args, &got, tt.check, tt.wantErr)
		})
	}
}

// TestRunServe starts the real server on a free port, answers a request,
// logs it without secrets, and shuts down when the context ends.
func TestRunServe(t *testing.T) {
	logs := &servertest.LogBuffer{}
	dir := t.TempDir()
	o := &ServeOptions{
		Factory:   envFactory(nil, nil, io.Discard, logs),
		Addr:      "127.0.0.1:0",
		DB:        "sqlite:" + dir + "/sub/dir/twofa.db",
		JWTSecret: serveTestSecret,
		AccessTTL: time.Hour,
		LogFormat: "json",
	}
	addrCh := make(chan string, 1)
	o.onListen = func(a string) { addrCh <- a }
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- runServe(ctx, o) }()
	var addr string
	select {
	case addr = <-addrCh:
	case err := <-done:
		t.Fatalf("runServe ended early: %v", err)
	}
	res, err := http.Get("http://" + addr + "/api/health")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != 200 || !strings.Contains(string(body), `"status":"ok"`) || res.Header.Get("Date") == "" {
		t.Fatalf("health: %d %s", res.StatusCode, body)
	}
	res, err = http.Post("http://"+addr+"/api/auth/token", "application/x-www-form-urlencoded", strings.NewReader("username=x&password=hunter2-secret"))
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("runServe: %v", err)
	}
	l := logs.String()
	if !strings.Contains(l, `"pattern":"GET /api/health"`) || !strings.Contains(l, `"status":401`) || !strings.Contains(l, "shutting down") {
		t.Fatalf("log lacks request lines:\n%s", l)
	}
	if strings.Contains(l, "hunter2") || strings.Contains(l, serveTestSecret) {
		t.Fatalf("log contains a secret:\n%s", l)
	}
}
