package client

import (
	"errors"
	"fmt"
	"time"

	"github.com/twofa/twofa/internal/wire"
)

// Error codes of api.md (package wire, shared with the reference server); a
// stock CoPilot's answers are classified into the same values.
const (
	CodeInvalidCredentials = wire.InvalidCredentials
	CodeInvalidCode        = wire.InvalidCode
	CodeCodeReused         = wire.CodeReused
	CodeLockedOut          = wire.LockedOut
	CodePendingExpired     = wire.PendingExpired
	CodeAlreadyEnabled     = wire.AlreadyEnabled
	CodeNotEnabled         = wire.NotEnabled
	CodeUnauthorized       = wire.Unauthorized
	CodePasswordRequired   = wire.PasswordRequired
	CodeInvalidPassword    = wire.InvalidPassword
	CodeForbidden          = wire.Forbidden
	// CodeSetupRequired means verify-setup came before setup (or after it was replaced).
	CodeSetupRequired = wire.SetupRequired
	// CodeCustomerPortalOnly is CoPilot's 403 classified by the client (the
	// reference server never sends it): CoPilot's 403 at /api/auth/token for a
	// customer_user account, which signs in at the Customer Portal's route.
	CodeCustomerPortalOnly = "customer_portal_only"
	// CodeNoCustomerPortal is CoPilot's 403 at the Customer Portal's route
	// for an account that signs in at the main one.
	CodeNoCustomerPortal = "no_customer_portal"
)

// APIError is a refusal the server answered with a 4xx/5xx status and a JSON
// body. Status 0 means the client decided without asking (no session token,
// a code that cannot be one).
type APIError struct {
	Status int
	// Code is the server's "code" [ext], else what CoPilot's status and
	// sentence mean on that route (one of the Code constants), else "".
	Code string
	// Detail is the server's sentence: "message" (CoPilot) or "detail"
	// (the reference server, FastAPI), on one line.
	Detail string
	// RetryAfter is the remaining lockout, from Retry-After or from the
	// sentence's "Try again in N seconds".
	RetryAfter time.Duration
}

// Error describes the refusal; it never contains a secret the client sent.
func (e *APIError) Error() string {
	code := e.Code
	if code == "" {
		code = "error"
	}
	if e.Status == 0 {
		return fmt.Sprintf("%s: %s", code, e.Detail)
	}
	return fmt.Sprintf("server answered %d %s: %s", e.Status, code, e.Detail)
}

// Is lets errors.Is(err, &APIError{Code: X}) match by code.
func (e *APIError) Is(target error) bool {
	t, ok := target.(*APIError)
	return ok && t.Code != "" && t.Code == e.Code && (t.Status == 0 || t.Status == e.Status)
}

// ErrNotOffered is returned by extension routes the server does not have (404/405).
var ErrNotOffered = errors.New("not offered by this server")

// ErrPlainHTTPAnswer is wrapped in a KindTLS TransportError whose server
// answered an https:// request in plain HTTP (the wrong port, or http://).
var ErrPlainHTTPAnswer = errors.New("the server answered in plain HTTP")

// Kinds of TransportError.
const (
	KindRefused     = "refused"      // nothing listens at the address
	KindDNS         = "dns"          // the host name does not resolve
	KindTLS         = "tls"          // certificate or handshake failure
	KindTimeout     = "timeout"      // no answer in time
	KindBadResponse = "bad_response" // an answer that is not the API's JSON (proxy page, empty 502, redirect)
	KindHTTPRefused = "http_refused" // plain http:// to a non-loopback host without AllowHTTP
	KindNetwork     = "network"      // any other network failure (reset, unreachable)
)

// TransportError is a failure to get an API answer from Server at all.
type TransportError struct {
	Server string
	Kind   string
	Err    error
}

// Error names the server, the kind of failure and the cause.
func (e *TransportError) Error() string {
	return fmt.Sprintf("%s: %s: %v", e.Server, e.Kind, e.Err)
}

// Unwrap returns the cause.
func (e *TransportError) Unwrap() error { return e.Err }

// BadResponse is the cause of a KindBadResponse TransportError: what the
// answer was, never its body.
type BadResponse struct {
	Status      int
	StatusText  string
	ContentType string
	Empty       bool
	Location    string
}

// Error describes the answer without quoting its body.
func (b *BadResponse) Error() string {
	switch {
	case b.Location != "":
		return fmt.Sprintf("HTTP %d redirect to %s", b.Status, b.Location)
	case b.Empty:
		return fmt.Sprintf("HTTP %d with an empty body", b.Status)
	}
	return fmt.Sprintf("HTTP %d with a %s body that is not the API's JSON", b.Status, orUnknown(b.ContentType))
}

func orUnknown(s string) string {
	if s == "" {
		return "untyped"
	}
	return s
}

// AddressProblem is what is wrong with a server address.
type AddressProblem int

// Problems of an AddressError.
const (
	AddressEmpty    AddressProblem = iota + 1 // no address at all
	AddressNotURL                             // not parsable as a URL
	AddressScheme                             // neither https:// nor http://
	AddressNoHost                             // no host name
	AddressUserInfo                           // a user name or password in it
	AddressQuery                              // a ? query or # fragment in it
)

// AddressError is a server address New cannot use; nothing was sent.
type AddressError struct {
	// Address is the address as given; empty for AddressUserInfo, whose
	// address holds a password.
	Address string
	Problem AddressProblem
	// Err is the URL parser's error, for AddressNotURL.
	Err error
}

// Error names the address and its problem.
func (e *AddressError) Error() string {
	what := map[AddressProblem]string{
		AddressEmpty:    "no server address given",
		AddressNotURL:   "not a URL",
		AddressScheme:   "neither https:// nor http://",
		AddressNoHost:   "no host",
		AddressUserInfo: "contains a user name or password",
		AddressQuery:    "contains ? or #",
	}[e.Problem]
	if e.Address == "" {
		return "server address: " + what
	}
	return fmt.Sprintf("server address %q: %s", e.Address, what)
}

// Unwrap returns the URL parser's error, if any.
func (e *AddressError) Unwrap() error { return e.Err }
