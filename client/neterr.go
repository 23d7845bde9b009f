package client

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"strings"
	"syscall"
)

// plainHTTPAnswer is net/http's (unexported) error when an https:// request
// gets a plain-HTTP answer.
const plainHTTPAnswer = "server gave HTTP response to HTTPS client"

// transportError wraps a failure to get any answer. A caller's cancellation
// stays a context error; everything else becomes a *TransportError.
func (c *Client) transportError(ctx context.Context, err error) error {
	if errors.Is(ctx.Err(), context.Canceled) {
		return fmt.Errorf("request to %s: %w", c.base, ctx.Err())
	}
	kind := netKind(err)
	if kind == KindTLS && strings.Contains(err.Error(), plainHTTPAnswer) {
		err = fmt.Errorf("%w: %w", ErrPlainHTTPAnswer, err)
	}
	return &TransportError{Server: c.base, Kind: kind, Err: err}
}

// netKind sorts a transport failure into one of the Kind constants.
func netKind(err error) string {
	var dnsErr *net.DNSError
	var unknownCA x509.UnknownAuthorityError
	var hostname x509.HostnameError
	var invalid x509.CertificateInvalidError
	var verify *tls.CertificateVerificationError
	var record tls.RecordHeaderError
	var alert tls.AlertError
	var netErr net.Error
	switch {
	case errors.As(err, &dnsErr):
		if dnsErr.IsTimeout {
			return KindTimeout
		}
		return KindDNS
	case errors.Is(err, syscall.ECONNREFUSED):
		return KindRefused
	case errors.As(err, &unknownCA), errors.As(err, &hostname), errors.As(err, &invalid),
		errors.As(err, &verify), errors.As(err, &record), errors.As(err, &alert),
		strings.Contains(err.Error(), plainHTTPAnswer):
		return KindTLS
	case errors.Is(err, context.DeadlineExceeded), errors.As(err, &netErr) && netErr.Timeout():
		return KindTimeout
	}
	return KindNetwork
}
