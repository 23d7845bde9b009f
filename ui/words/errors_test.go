package words

import (
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/twofa/twofa/client"
	"github.com/twofa/twofa/internal/wire"
)

// cli names the command line's flags, as internal/app does.
var cli = New(Settings{Server: "--server", AllowHTTP: "--allow-http", CACert: "--ca-cert FILE", InsecureStorage: "--insecure-storage"})

func TestError(t *testing.T) {
	const srv = "https://copilot.example.com"
	tr := func(kind string, err error) error { return &client.TransportError{Server: srv, Kind: kind, Err: err} }
	api := func(status int, code, detail string) error {
		return &client.APIError{Status: status, Code: code, Detail: detail}
	}
	tests := []struct {
		err  error
		want string
	}{
		{api(401, wire.InvalidCredentials, ""), "Incorrect username or password."},
		{api(401, wire.InvalidCode, "Invalid 2FA code."), "Wrong code. Type the 6 digits your app shows now."},
		{api(401, wire.InvalidCode, "Invalid backup code."), "That backup code was not accepted. Check it — each code works only once."},
		{api(0, wire.InvalidCode, "an authenticator code is 6 digits"), "That does not look like a code: an authenticator code is 6 digits."},
		{api(401, wire.CodeReused, ""), "That code was already used. Wait for your app's next code."},
		{&client.APIError{Status: 429, Code: wire.LockedOut, RetryAfter: 899 * time.Second}, "Too many failed attempts — try again in 14 min 59 s."},
		{&client.APIError{Status: 429, Code: wire.LockedOut, RetryAfter: 60 * time.Second}, "try again in 1 min."},
		{api(400, wire.LockedOut, ""), "Too many failed attempts — try again later."},
		{api(401, wire.PendingExpired, ""), "Your sign-in expired — sign in again."},
		{api(409, wire.AlreadyEnabled, ""), "already on"},
		{api(409, wire.NotEnabled, ""), "not on"},
		{api(400, wire.SetupRequired, ""), "Start enabling"},
		{api(401, wire.Unauthorized, ""), "Your session has ended — sign in again."},
		{api(0, wire.Unauthorized, "not signed in"), "You are not signed in."},
		{api(401, wire.PasswordRequired, ""), "password again"},
		{api(401, wire.InvalidPassword, ""), "That password is not right."},
		{api(403, wire.Forbidden, ""), "not allowed"},
		{api(403, wire.CustomerPortalOnly, ""), "only at its Customer Portal"},
		{api(403, wire.NoCustomerPortal, ""), "does not have access to the Customer Portal"},
		{api(401, "", "User not found"), "The server refused: User not found."},
		{api(404, "", "User 99 not found"), "The server refused: User 99 not found."},
		{api(418, "", "I'm a teapot"), "The server refused: I'm a teapot."},
		{api(422, "", "code: Input should be a valid string"), "The server refused: code: Input should be a valid string."},
		{api(500, "", "Internal Server Error"), "The server had a problem (HTTP 500). Try again in a moment"},
		{api(418, "", ""), "HTTP 418"},
		{fmt.Errorf("GET /auth/me: %w", client.ErrNotOffered), "does not offer"},
		{fmt.Errorf("x: %w", context.Canceled), "Cancelled."},
		{context.DeadlineExceeded, "did not answer in time"},
		{tr(client.KindTimeout, context.DeadlineExceeded), srv + " did not answer within 15 s"},
		{tr(client.KindRefused, syscall.ECONNREFUSED), "Could not connect to " + srv + " (connection refused)"},
		{tr(client.KindDNS, &net.DNSError{Err: "no such host", Name: "nope.invalid", IsNotFound: true}), "Could not find the host nope.invalid (DNS lookup failed). Check the spelling of --server"},
		{tr(client.KindHTTPRefused, errors.New("plain http")), "Use https://, or pass --allow-http if you accept that risk."},
		{tr(client.KindTLS, x509.UnknownAuthorityError{}), "not signed by an authority this computer trusts. If the server uses a private CA, pass --ca-cert FILE."},
		{tr(client.KindTLS, fmt.Errorf("%w: x", client.ErrPlainHTTPAnswer)), "answered in plain HTTP, not HTTPS"},
		{tr(client.KindTLS, x509.HostnameError{Host: "other.example", Certificate: &x509.Certificate{}}), "not valid for that host name. Check --server"},
		{tr(client.KindTLS, x509.CertificateInvalidError{Reason: x509.Expired, Cert: &x509.Certificate{}}), "has expired or is not yet valid"},
		{tr(client.KindTLS, errors.New("remote error: tls: handshake failure")), "Could not set up a secure connection"},
		{tr(client.KindNetwork, errors.New("read tcp 1.2.3.4:5->6.7.8.9:443: read: connection reset by peer")), "failed (connection reset by peer)"},
		{tr(client.KindBadResponse, &client.BadResponse{Status: 502, StatusText: "Bad Gateway", ContentType: "text/html"}), "answered 502 Bad Gateway with a web page instead of the API's JSON: a proxy error or the wrong address. Check --server"},
		{tr(client.KindBadResponse, &client.BadResponse{Status: 502, StatusText: "Bad Gateway", Empty: true}), "empty page: the API behind it may be down"},
		{tr(client.KindBadResponse, &client.BadResponse{Status: 404, StatusText: "Not Found", Empty: true}), "empty page instead of the API's JSON. Check that --server points"},
		{tr(client.KindBadResponse, &client.BadResponse{Status: 200, StatusText: "OK", ContentType: "application/xml"}), "not the API's JSON (application/xml). Check --server."},
		{tr(client.KindBadResponse, &client.BadResponse{Status: 302, StatusText: "Found", Location: "https://login.example.com/sso"}), "redirect (302 Found) to https://login.example.com/sso. Point --server at the final address."},
		{&client.AddressError{Problem: client.AddressEmpty}, "No server given: pass --server https://host."},
		{&client.AddressError{Address: "ftp://x", Problem: client.AddressScheme}, `"ftp://x" is not https://`},
		{&client.AddressError{Problem: client.AddressUserInfo}, "must not contain a user name or password"},
		{errors.New("something\x1b[2J else"), "something else"},
		{&client.APIError{Status: 429, Code: wire.Throttled, RetryAfter: 42 * time.Second}, "Too many failed sign-ins — try again in 42 s."},
		{api(429, wire.Throttled, ""), "Too many failed sign-ins — try again later."},
		{tr(client.KindBadResponse, &client.BadResponse{Status: 200, Field: &client.BadField{Field: "backup_codes", Problem: client.FieldTooMany, Limit: 32, Got: 60000}}),
			srv + " sent 60000 backup codes; twofa takes at most 32. twofa shows nothing from such an answer: check --server, or tell the server's administrator."},
		{tr(client.KindBadResponse, &client.BadResponse{Status: 200, Field: &client.BadField{Field: "backup_codes[3]", Problem: client.FieldNotPlain}}),
			srv + " sent a backup code with characters that cannot be typed"},
		{tr(client.KindBadResponse, &client.BadResponse{Status: 200, Field: &client.BadField{Field: "backup_codes[0]", Problem: client.FieldTooLong, Limit: 64, Got: 65}}),
			srv + " sent a backup code of 65 characters; twofa takes at most 64."},
		{tr(client.KindBadResponse, &client.BadResponse{Status: 200, Field: &client.BadField{Field: "username", Problem: client.FieldTooLong, Limit: 128, Got: 5000}}),
			srv + " sent a username of 5000 characters; twofa takes at most 128."},
		{tr(client.KindBadResponse, &client.BadResponse{Status: 200, Field: &client.BadField{Field: "access_token", Problem: client.FieldMissing}}),
			srv + " answered without a session token."},
		{tr(client.KindBadResponse, &client.BadResponse{Status: 200, Field: &client.BadField{Field: "secret", Problem: client.FieldNotBase32}}),
			srv + " sent a secret key that is not base32."},
		{tr(client.KindBadResponse, &client.BadResponse{Status: 200, Field: &client.BadField{Field: "otpauth_url", Problem: client.FieldMismatch}}),
			"a setup link whose secret is not the secret key it sent"},
		{tr(client.KindBadResponse, &client.BadResponse{Status: 200, Field: &client.BadField{Field: "otpauth_url", Problem: client.FieldUnsupported}}),
			"SHA-1 codes of 6 digits, every 30 seconds"},
		{tr(client.KindBadResponse, &client.BadResponse{Status: 200, Field: &client.BadField{Field: "otpauth_url", Problem: client.FieldNotTOTPURI}}),
			"not an otpauth://totp/ link"},
		{tr(client.KindBadResponse, &client.BadResponse{Status: 200, Field: &client.BadField{Field: "other_sessions_revoked", Problem: client.FieldOutOfRange, Got: -1}}),
			"a count of signed-out sessions out of range (-1)"},
		{tr(client.KindBadResponse, &client.BadResponse{Status: 200, Field: &client.BadField{Field: "weird\x1b[2J", Problem: client.FieldTooLong, Limit: 512, Got: 513}}),
			`the field "weird" of 513 characters`},
	}
	for _, tt := range tests {
		got := cli.Error(tt.err)
		if !strings.Contains(got, tt.want) {
			t.Errorf("Error(%v) = %q, want it to contain %q", tt.err, got, tt.want)
		}
		if strings.ContainsAny(got, "\n\x1b") || got == "" {
			t.Errorf("Error(%v) = %q: want one clean, non-empty line", tt.err, got)
		}
		var te *client.TransportError
		if errors.As(tt.err, &te) && te.Kind != client.KindDNS && !strings.Contains(got, srv) {
			t.Errorf("Error(%v) = %q does not name the server", tt.err, got)
		}
	}
	if cli.Error(nil) != "" {
		t.Error("Error(nil) is not empty")
	}
}

// TestErrorWithoutSettings: a front end without flags (an SSH gateway)
// gets sentences that name no flag.
func TestErrorWithoutSettings(t *testing.T) {
	errs := []error{
		&client.TransportError{Server: "http://lan", Kind: client.KindHTTPRefused, Err: errors.New("x")},
		&client.TransportError{Server: "https://h", Kind: client.KindDNS, Err: errors.New("x")},
		&client.TransportError{Server: "https://h", Kind: client.KindTLS, Err: x509.UnknownAuthorityError{}},
		&client.TransportError{Server: "https://h", Kind: client.KindBadResponse, Err: &client.BadResponse{Status: 200, ContentType: "text/html"}},
		&client.AddressError{Problem: client.AddressEmpty},
	}
	for _, err := range errs {
		if got := (Words{}).Error(err); strings.Contains(got, "--") {
			t.Errorf("Error(%v) = %q names a flag", err, got)
		}
	}
}

// TestExplainKeepsTheCause: the CLI's error prints the sentence and still
// answers errors.Is and errors.As about what happened.
func TestExplainKeepsTheCause(t *testing.T) {
	cause := &client.APIError{Status: 401, Code: wire.Unauthorized}
	err := fmt.Errorf("status: %w", cli.Explain(cause))
	if got := err.Error(); got != "status: Your session has ended — sign in again." {
		t.Fatalf("Error() = %q", got)
	}
	var api *client.APIError
	if !errors.As(err, &api) || api != cause || !errors.Is(err, &client.APIError{Code: wire.Unauthorized}) {
		t.Fatal("the cause is lost")
	}
	if cli.Error(err) != "Your session has ended — sign in again." {
		t.Fatalf("an explained error is worded again: %q", cli.Error(err))
	}
	if cli.Explain(nil) != nil {
		t.Fatal("Explain(nil) is not nil")
	}
}
