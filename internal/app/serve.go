package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/spf13/cobra"
	"github.com/twofa/twofa/client"
	"github.com/twofa/twofa/internal/version"
	"github.com/twofa/twofa/server"
)

// ServeOptions are the inputs of `twofa serve`.
type ServeOptions struct {
	Factory        *Factory
	Addr           string
	DB             string
	TLSCert        string
	TLSKey         string
	JWTSecret      string
	TOTPKeys       string
	IndexKey       string
	Issuer         string
	AccessTTL      time.Duration
	SessionMaxAge  time.Duration
	TrustedProxies []netip.Prefix
	LogFormat      string
	// SSH serves the terminal UI over SSH beside the API when SSH.Addr is set.
	SSH SSHFlags

	// onListen, when set, is told the bound address (tests use port 0).
	onListen func(addr string)
}

// NewCmdServe returns `twofa serve`, the reference backend.
func NewCmdServe(f *Factory, runF func(*ServeOptions) error) *cobra.Command {
	opts := &ServeOptions{Factory: f}
	var proxies []string
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Run the reference account server (the API twofa speaks)",
		Long: `Run the reference backend: the SOCFortress CoPilot account API under /api/auth
plus twofa's extensions, with lockout, replay protection and single-use backup
codes kept in the database (SQLite or Postgres).

Environment (flags win over the environment):
  TWOFA_ADDR                   listen address (default 127.0.0.1:8080)
  TWOFA_DB                     sqlite:PATH or postgres://… (default sqlite under $XDG_DATA_HOME/twofa)
  JWT_SECRET                   required; at least 32 random characters
  TOTP_ENCRYPTION_KEY          comma-separated Fernet keys: the first encrypts, all decrypt
                               (default: url-safe base64 of SHA-256(JWT_SECRET), as CoPilot does)
  TWOFA_INDEX_KEY              HMAC key of the backup-code index (default: derived from JWT_SECRET)
  TWOFA_ISSUER                 issuer shown in authenticator apps (default twofa)
  ACCESS_TOKEN_EXPIRE_MINUTES  session token lifetime in minutes (default 1440)
  TWOFA_SESSION_MAX_AGE_MINUTES  how long refreshes can keep a session alive after
                               its sign-in, in minutes (default 7 × the token lifetime)
  TWOFA_TRUSTED_PROXIES        comma-separated CIDRs whose X-Forwarded-For is believed`,
		Example: `  export JWT_SECRET="$(openssl rand -base64 48)"
  twofa admin create-user alice
  twofa serve --addr 127.0.0.1:8080
  twofa serve --db postgres://twofa@db.internal/twofa --tls-cert cert.pem --tls-key key.pem`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := opts.resolve(cmd, proxies); err != nil {
				return &ExitError{Code: 2, Err: err}
			}
			if runF != nil {
				return runF(opts)
			}
			return untilStopped(cmd.Context(), func(ctx context.Context) error { return runServe(ctx, opts) })
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&opts.Addr, "addr", "", "listen address (env TWOFA_ADDR, default 127.0.0.1:8080)")
	fl.StringVar(&opts.DB, "db", "", "database: sqlite:PATH or postgres://… (env TWOFA_DB)")
	fl.StringVar(&opts.TLSCert, "tls-cert", "", "serve HTTPS with this certificate file (PEM)")
	fl.StringVar(&opts.TLSKey, "tls-key", "", "private key file (PEM) for --tls-cert")
	fl.StringVar(&opts.Issuer, "issuer", "", "issuer in otpauth URIs (env TWOFA_ISSUER, default twofa)")
	fl.StringSliceVar(&proxies, "trusted-proxy", nil, "CIDR of a reverse proxy whose X-Forwarded-For is trusted (repeatable; env TWOFA_TRUSTED_PROXIES)")
	fl.StringVar(&opts.LogFormat, "log-format", "text", "request log format on stderr: text or json")
	opts.SSH.Register(fl, "also serve the terminal UI over SSH on this `address` (e.g. 0.0.0.0:2222), in front of this server")
	return cmd
}

// resolve fills options from flags, then the environment, then defaults.
func (o *ServeOptions) resolve(cmd *cobra.Command, proxies []string) error {
	env := o.Factory.Getenv
	if o.Addr == "" {
		o.Addr = env("TWOFA_ADDR")
	}
	if o.Addr == "" {
		o.Addr = "127.0.0.1:8080"
	}
	db, err := resolveDB(o.Factory, o.DB)
	if err != nil {
		return err
	}
	o.DB = db
	if (o.TLSCert == "") != (o.TLSKey == "") {
		return errors.New("--tls-cert and --tls-key go together")
	}
	o.JWTSecret = env("JWT_SECRET")
	if err := server.CheckJWTSecret(o.JWTSecret); err != nil {
		return err
	}
	o.TOTPKeys = env("TOTP_ENCRYPTION_KEY")
	o.IndexKey = env("TWOFA_INDEX_KEY")
	if o.Issuer == "" {
		o.Issuer = env("TWOFA_ISSUER")
	}
	o.AccessTTL = 24 * time.Hour
	if v := env("ACCESS_TOKEN_EXPIRE_MINUTES"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n <= 0 {
			return fmt.Errorf("ACCESS_TOKEN_EXPIRE_MINUTES=%q: want a positive number of minutes", v)
		}
		o.AccessTTL = time.Duration(n) * time.Minute
	}
	if v := env("TWOFA_SESSION_MAX_AGE_MINUTES"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n <= 0 {
			return fmt.Errorf("TWOFA_SESSION_MAX_AGE_MINUTES=%q: want a positive number of minutes", v)
		}
		o.SessionMaxAge = time.Duration(n) * time.Minute
	}
	if len(proxies) == 0 && env("TWOFA_TRUSTED_PROXIES") != "" {
		proxies = strings.Split(env("TWOFA_TRUSTED_PROXIES"), ",")
	}
	for _, p := range proxies {
		p = strings.TrimSpace(p)
		if p == "" {
			continue
		}
		pfx, err := netip.ParsePrefix(p)
		if err != nil {
			addr, aerr := netip.ParseAddr(p)
			if aerr != nil {
				return fmt.Errorf("trusted proxy %q: want a CIDR such as 10.0.0.0/8", p)
			}
			pfx = netip.PrefixFrom(addr, addr.BitLen())
		}
		o.TrustedProxies = append(o.TrustedProxies, pfx)
	}
	if o.LogFormat != "text" && o.LogFormat != "json" {
		return fmt.Errorf("--log-format %q: want text or json", o.LogFormat)
	}
	if o.SSH.Addr != "" {
		return o.SSH.resolve(o.Factory)
	}
	return nil
}

// startSSH starts the SSH front end when --ssh is set (nil otherwise): the
// UI in front of srv, whose requests go to srv's handler in this process;
// the header shows url, the API's own address.
func (o *ServeOptions) startSSH(srv *server.Server, url string, logger *slog.Logger) (*sshFront, error) {
	if o.SSH.Addr == "" {
		return nil, nil
	}
	c, err := client.New(client.Options{
		Server: url, AllowHTTP: true, // no byte of it leaves this process
		Transport: inProcess{handler: srv.Handler()}, UserAgentVersion: version.String(),
	})
	if err != nil {
		return nil, fmt.Errorf("ssh front end: %w", err)
	}
	return o.SSH.startSSH(c, nil, logger)
}

// shownAddr is the API's address as the SSH front end's header shows it:
// a wildcard listen address (0.0.0.0, ::) becomes this machine's name,
// the one people reach by ssh.
func shownAddr(addr net.Addr) string {
	host, port, err := net.SplitHostPort(addr.String())
	if ip := net.ParseIP(host); err == nil && ip != nil && ip.IsUnspecified() {
		if name, err := os.Hostname(); err == nil && name != "" {
			return net.JoinHostPort(name, port)
		}
	}
	return addr.String()
}

// resolveDB returns the flag value, else TWOFA_DB, else a SQLite file under
// the user's data directory ($XDG_DATA_HOME or ~/.local/share)/twofa.
func resolveDB(f *Factory, flag string) (string, error) {
	if flag != "" {
		return flag, nil
	}
	if v := f.Getenv("TWOFA_DB"); v != "" {
		return v, nil
	}
	dir, err := dataDir(f)
	if err != nil {
		return "", fmt.Errorf("%w: pass --db", err)
	}
	return "sqlite:" + filepath.Join(dir, "twofa", "twofa.db"), nil
}

// ensureSQLiteDir creates the directory of a sqlite: DSN's file (0700).
func ensureSQLiteDir(dsn string) error {
	path, ok := strings.CutPrefix(dsn, "sqlite:")
	if !ok {
		return nil
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return fmt.Errorf("create database directory: %w", err)
	}
	return nil
}

// redactDSN hides a password in a postgres DSN for messages.
func redactDSN(dsn string) string {
	if i := strings.Index(dsn, "://"); i >= 0 {
		rest := dsn[i+3:]
		if at := strings.Index(rest, "@"); at >= 0 {
			if c := strings.Index(rest[:at], ":"); c >= 0 {
				return dsn[:i+3] + rest[:c] + ":xxxxx" + rest[at:]
			}
		}
	}
	return dsn
}

// runServe opens the server and serves until ctx ends, then shuts down
// gracefully, letting requests in flight finish (up to 15 seconds).
func runServe(ctx context.Context, o *ServeOptions) error {
	errOut := o.Factory.IO.ErrOut
	var handler slog.Handler = slog.NewTextHandler(errOut, nil)
	if o.LogFormat == "json" {
		handler = slog.NewJSONHandler(errOut, nil)
	}
	logger := slog.New(handler)
	if err := ensureSQLiteDir(o.DB); err != nil {
		return err
	}
	applyServeMemoryLimit(o.Factory.Getenv)
	srv, err := server.Open(ctx, server.Options{
		DSN: o.DB, JWTSecret: o.JWTSecret, TOTPKeys: o.TOTPKeys, IndexKey: o.IndexKey,
		Issuer: o.Issuer, AccessTTL: o.AccessTTL, SessionMaxAge: o.SessionMaxAge, Logger: logger, TrustedProxies: o.TrustedProxies,
	})
	if err != nil {
		return fmt.Errorf("start server: %w", err)
	}
	defer srv.Close()

	ln, err := net.Listen("tcp", o.Addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", o.Addr, err)
	}
	hs := &http.Server{
		Handler:           srv.Handler(),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      30 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    16 << 10,
		ErrorLog:          slog.NewLogLogger(handler, slog.LevelWarn),
	}
	scheme := "http"
	if o.TLSCert != "" {
		scheme = "https"
	}
	logger.Info("twofa serve listening", "url", scheme+"://"+ln.Addr().String(), "db", redactDSN(o.DB))
	if o.onListen != nil {
		o.onListen(ln.Addr().String())
	}
	done := make(chan error, 1)
	go func() {
		if o.TLSCert != "" {
			done <- hs.ServeTLS(ln, o.TLSCert, o.TLSKey)
		} else {
			done <- hs.Serve(ln)
		}
	}()
	front, err := o.startSSH(srv, scheme+"://"+shownAddr(ln.Addr()), logger)
	if err != nil {
		_ = hs.Close()
		return err
	}
	select {
	case err := <-done:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	logger.Info("shutting down")
	if front != nil {
		if err := front.stop(); err != nil {
			logger.Warn("ssh shutdown", "error", err.Error())
		}
	}
	shutCtx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	if err := hs.Shutdown(shutCtx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	if err := <-done; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("serve: %w", err)
	}
	return nil
}

// untilStopped runs a server command (serve, gateway) under a context that
// SIGINT or SIGTERM ends, so either shuts it down.
func untilStopped(parent context.Context, run func(ctx context.Context) error) error {
	ctx, stop := signal.NotifyContext(parent, os.Interrupt, syscall.SIGTERM)
	defer stop()
	return run(ctx)
}
