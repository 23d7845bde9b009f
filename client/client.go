// Package client speaks the account-security REST API of api.md — the one a
// stock SOCFortress CoPilot serves, plus the reference server's extensions —
// with one typed, context-aware method per route.
//
// The client never touches the keyring: it reads the session token from a
// TokenSource on every protected request, attached in one place (do).
package client

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/go-resty/resty/v2"
	"github.com/twofa/twofa/internal/wire"
)

const (
	// DialTimeout bounds establishing a TCP connection to the server.
	DialTimeout = 5 * time.Second
	// RequestTimeout bounds one whole HTTP exchange (each attempt).
	RequestTimeout = 15 * time.Second
	// maxBody caps how much of a response is read.
	maxBody = 1 << 20
	// getRetries is how often an idempotent GET is retried after a network error.
	getRetries = 2
)

// Options configure a Client; only Server is required.
type Options struct {
	// Server is "https://host" or "https://host/prefix"; "/api" is added (a trailing "/api" is accepted too).
	Server string
	// AllowHTTP permits plain http:// to a host that is not loopback.
	AllowHTTP bool
	// CACertFile names a PEM file of extra trusted CAs, for servers with a private CA.
	CACertFile string
	// Debug receives a redacted log of every request and response; nil logs nothing.
	Debug io.Writer
	// Tokens supplies the session token for protected routes; it may be nil.
	Tokens TokenSource
	// Transport, when set, carries every request instead of connections
	// to Server (a server in this process); the dialer and CACertFile are
	// then not used. Server is still the address shown and sent.
	Transport http.RoundTripper
	// UserAgentVersion is the version for the User-Agent "twofa/<version>" (a leading "twofa/" is accepted).
	UserAgentVersion string
}

// Client is a typed client of the account API; it is safe for concurrent use.
type Client struct {
	base   string // normalized base URL, for display
	api    string // base + "/api"
	rc     *resty.Client
	tokens TokenSource
	clock  *clockState
	offers *offers
	// forwardedFor is the X-Forwarded-For of every request (ForPeer).
	forwardedFor string
}

// New checks opts and builds a Client; it does no network I/O.
// Plain http:// to a non-loopback host is refused here unless AllowHTTP is set.
func New(opts Options) (*Client, error) {
	base, err := normalizeBase(opts.Server, opts.AllowHTTP)
	if err != nil {
		return nil, err
	}
	transport := opts.Transport
	if transport == nil {
		if transport, err = networkTransport(opts.CACertFile); err != nil {
			return nil, err
		}
	}
	c := &Client{base: base, api: base + "/api", tokens: opts.Tokens, clock: &clockState{now: time.Now}, offers: &offers{}}
	hc := &http.Client{
		Transport: &observer{next: transport, clock: c.clock, debug: newDebugLog(opts.Debug)},
		Timeout:   RequestTimeout,
		// A redirect is answered as it is: an API client must not resend a
		// password or code somewhere else on its own.
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	c.rc = resty.NewWithClient(hc).
		SetLogger(discardLogger{}).
		SetHeader("User-Agent", userAgent(opts.UserAgentVersion)).
		SetHeader("Accept", "application/json").
		SetResponseBodyLimit(maxBody).
		SetRetryCount(getRetries).
		SetRetryWaitTime(250 * time.Millisecond).
		SetRetryMaxWaitTime(2 * time.Second).
		// With any condition present resty retries only when one says so; this
		// one says no, so only requests that add retryNetworkError retry.
		AddRetryCondition(func(*resty.Response, error) bool { return false })
	return c, nil
}

// Server returns the normalized base URL (without "/api"), for display.
func (c *Client) Server() string { return c.base }

// Clock returns what the client has learnt about the server's clock so far.
func (c *Client) Clock() Clock { return c.clock.get() }

// WithToken returns a client that sends token on protected routes instead
// of asking its TokenSource. It shares this client's connections, clock and
// what it learnt about the server's extensions, so it costs one small copy:
// a front end can bind each request to the session it was made for.
func (c *Client) WithToken(token string) *Client {
	bound := *c
	bound.tokens = staticToken(token)
	return &bound
}

// networkTransport connects to the server over the network, trusting the
// system's CAs and those in caFile (when given).
func networkTransport(caFile string) (*http.Transport, error) {
	tlsConf := &tls.Config{MinVersion: tls.VersionTLS12}
	if caFile != "" {
		pool, err := loadCAs(caFile)
		if err != nil {
			return nil, err
		}
		tlsConf.RootCAs = pool
	}
	dialer := &net.Dialer{Timeout: DialTimeout, KeepAlive: 30 * time.Second}
	return &http.Transport{
		Proxy:                 http.ProxyFromEnvironment,
		DialContext:           dialer.DialContext,
		TLSClientConfig:       tlsConf,
		TLSHandshakeTimeout:   DialTimeout,
		ForceAttemptHTTP2:     true,
		MaxIdleConns:          4,
		IdleConnTimeout:       60 * time.Second,
		ExpectContinueTimeout: time.Second,
	}, nil
}

func userAgent(v string) string {
	v = strings.TrimPrefix(v, "twofa/")
	if v == "" {
		v = "dev"
	}
	return "twofa/" + v
}

func loadCAs(path string) (*x509.CertPool, error) {
	pem, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read CA certificates: %w", err)
	}
	pool, err := x509.SystemCertPool()
	if err != nil || pool == nil {
		pool = x509.NewCertPool()
	}
	if !pool.AppendCertsFromPEM(pem) {
		return nil, fmt.Errorf("no PEM certificate found in %s", path)
	}
	return pool, nil
}

// call describes one request to the API.
type call struct {
	method string
	path   string // below /api, e.g. "/auth/token"
	route  route  // for classifying a stock CoPilot's error sentences
	auth   bool   // attach the session token
	form   map[string]string
	body   any
	out    any
	retry  bool      // idempotent GET: retry after a network error
	ext    Extension // an [ext] route: 404/405 mean ErrNotOffered
}

// do runs one request and turns every failure into *APIError, *TransportError,
// ErrNotOffered or the caller's context error. An [ext] route the server is
// known to lack is not asked again.
func (c *Client) do(ctx context.Context, k call) error {
	if k.ext != extNone {
		if offered, known := c.offers.get(k.ext); known && !offered {
			return fmt.Errorf("%s %s: %w", k.method, k.path, ErrNotOffered)
		}
	}
	r := c.rc.R().SetContext(withClock(ctx, c.clock))
	if c.forwardedFor != "" {
		r.SetHeader("X-Forwarded-For", c.forwardedFor)
	}
	if k.auth {
		tok := ""
		if c.tokens != nil {
			tok = c.tokens.Token()
		}
		if tok == "" {
			return &APIError{Code: wire.Unauthorized, Detail: "not signed in"}
		}
		r.SetAuthToken(tok)
	}
	switch {
	case k.form != nil:
		r.SetFormData(k.form)
	case k.body != nil:
		r.SetHeader("Content-Type", "application/json").SetBody(k.body)
	}
	if k.retry {
		r.AddRetryCondition(retryNetworkError)
	}
	resp, err := r.Execute(k.method, c.api+k.path)
	if err != nil {
		return c.transportError(ctx, err)
	}
	status := resp.StatusCode()
	if k.ext != extNone {
		absent := status == http.StatusNotFound || status == http.StatusMethodNotAllowed
		c.offers.set(k.ext, !absent)
		if absent {
			return fmt.Errorf("%s %s: %w", k.method, k.path, ErrNotOffered)
		}
	}
	body := resp.Body()
	switch {
	case status >= 300 && status < 400:
		return c.badResponse(resp.RawResponse, body)
	case status >= 400:
		return c.apiError(k.route, resp.RawResponse, body)
	case status == http.StatusNoContent:
		return nil
	}
	if k.out == nil {
		if !json.Valid(body) {
			return c.badResponse(resp.RawResponse, body)
		}
		return nil
	}
	if err := decode(body, k.out); err != nil {
		var bf *BadField
		if errors.As(err, &bf) {
			return c.badField(status, bf)
		}
		return c.badResponse(resp.RawResponse, body)
	}
	return nil
}

// retryNetworkError retries a request that never got an answer, unless the
// failure is one a retry cannot fix (TLS, unknown host) or the caller gave up.
func retryNetworkError(resp *resty.Response, err error) bool {
	if err == nil || resp == nil || resp.Request == nil || resp.Request.Method != http.MethodGet {
		return false
	}
	if resp.Request.Context().Err() != nil {
		return false
	}
	switch netKind(err) {
	case KindRefused, KindNetwork:
		return true
	}
	return false
}

// discardLogger keeps resty from printing on its own.
type discardLogger struct{}

// Errorf discards resty's error logs.
func (discardLogger) Errorf(string, ...any) {}

// Warnf discards resty's warnings.
func (discardLogger) Warnf(string, ...any) {}

// Debugf discards resty's debug logs.
func (discardLogger) Debugf(string, ...any) {}
