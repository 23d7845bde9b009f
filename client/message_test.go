package client

import (
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"strings"
	"syscall"
	"testing"
	"time"
)

func TestMessage(t *testing.T) {
	const srv = "https://copilot.example.com"
	tr := func(kind string, err error) error { return &TransportError{Server: srv, Kind: kind, Err: err} }
	tests := []struct {
		err  error
		want string
	}{
		{&APIError{Status: 401, Code: CodeInvalidCredentials}, "Incorrect username or password."},
		{&APIError{Status: 401, Code: CodeInvalidCode, Detail: "Invalid 2FA code."}, "check this device's clock"},
		{&APIError{Status: 401, Code: CodeInvalidCode, Detail: "Invalid backup code."}, "each one works only once"},
		{&APIError{Code: CodeInvalidCode, Detail: "an authenticator code is 6 digits"}, "does not look like a code"},
		{&APIError{Status: 401, Code: CodeCodeReused}, "Wait for your authenticator app to show the next code."},
		{&APIError{Status: 429, Code: CodeLockedOut, RetryAfter: 899 * time.Second}, "Try again in 14 min 59 s."},
		{&APIError{Status: 429, Code: CodeLockedOut, RetryAfter: 60 * time.Second}, "Try again in 1 min."},
		{&APIError{Status: 400, Code: CodeLockedOut}, "Try again later."},
		{&APIError{Status: 401, Code: CodePendingExpired}, "Sign in again with your password."},
		{&APIError{Status: 409, Code: CodeAlreadyEnabled}, "already on"},
		{&APIError{Status: 409, Code: CodeNotEnabled}, "not on"},
		{&APIError{Status: 400, Code: CodeSetupRequired}, "Start enabling"},
		{&APIError{Status: 401, Code: CodeUnauthorized}, "Sign in again."},
		{&APIError{Code: CodeUnauthorized, Detail: "not signed in"}, "You are not signed in."},
		{&APIError{Status: 401, Code: CodePasswordRequired}, "password again"},
		{&APIError{Status: 401, Code: CodeInvalidPassword}, "That password is not right."},
		{&APIError{Status: 403, Code: CodeForbidden}, "not allowed"},
		{&APIError{Status: 403, Code: CodeCustomerPortalOnly}, "only at its Customer Portal"},
		{&APIError{Status: 403, Code: CodeNoCustomerPortal}, "does not have access to the Customer Portal"},
		{&APIError{Status: 401, Detail: "User not found"}, "The server refused: User not found."},
		{&APIError{Status: 418, Detail: "I'm a teapot"}, "The server refused: I'm a teapot."},
		{&APIError{Status: 418}, "HTTP 418"},
		{fmt.Errorf("GET /auth/me: %w", ErrNotOffered), "does not offer"},
		{fmt.Errorf("x: %w", context.Canceled), "Cancelled."},
		{context.DeadlineExceeded, "did not answer in time"},
		{tr(KindTimeout, context.DeadlineExceeded), srv + " did not answer within 15 seconds"},
		{tr(KindRefused, syscall.ECONNREFUSED), "connection refused"},
		{tr(KindTLS, x509.HostnameError{Host: "other.example", Certificate: &x509.Certificate{}}), "not valid for that host name"},
		{tr(KindTLS, x509.CertificateInvalidError{Reason: x509.Expired, Cert: &x509.Certificate{}}), "has expired or is not yet valid"},
		{tr(KindTLS, errors.New("remote error: tls: handshake failure")), "Could not set up a secure connection"},
		{tr(KindNetwork, errors.New("read tcp 1.2.3.4:5->6.7.8.9:443: read: connection reset by peer")), "failed (connection reset by peer)"},
		{tr(KindBadResponse, &badResponse{Status: 200, StatusText: "OK", ContentType: "application/xml"}), "not the API's JSON (application/xml)"},
		{errors.New("something else"), "something else"},
	}
	for _, tt := range tests {
		got := Message(tt.err)
		if !strings.Contains(got, tt.want) {
			t.Errorf("Message(%v) = %q, want it to contain %q", tt.err, got, tt.want)
		}
		if strings.Contains(got, "\n") || got == "" {
			t.Errorf("Message(%v) = %q: want one non-empty line", tt.err, got)
		}
		var te *TransportError
		if errors.As(tt.err, &te) && !strings.Contains(got, srv) {
			t.Errorf("Message(%v) = %q does not name the server", tt.err, got)
		}
	}
	if Message(nil) != "" {
		t.Error("Message(nil) is not empty")
	}
}

func TestAPIErrorIs(t *testing.T) {
	err := fmt.Errorf("wrapped: %w", &APIError{Status: 429, Code: CodeLockedOut})
	if !errors.Is(err, &APIError{Code: CodeLockedOut}) || !errors.Is(err, &APIError{Code: CodeLockedOut, Status: 429}) {
		t.Fatal("errors.Is by code failed")
	}
	if errors.Is(err, &APIError{Code: CodeInvalidCode}) || errors.Is(err, &APIError{Code: CodeLockedOut, Status: 400}) || errors.Is(err, &APIError{}) {
		t.Fatal("errors.Is matched the wrong code or status")
	}
}
