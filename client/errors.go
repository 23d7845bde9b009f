package client

import (
	"errors"
	"fmt"
	"time"
)

// APIError is a refusal the server answered with a 4xx/5xx status and a JSON
// body. Status 0 means the client decided without asking (no session token,
// a code that cannot be one).
type APIError struct {
	Status int
	// Code is the server's "code" [ext], else what CoPilot's status and
	// sentence mean on that route (one of package wire's codes), else "".
	Code string
	// Detail is the server's sentence: "message" (CoPilot) or "detail"
	// (the reference server, FastAPI), on one line.
	Detail string
	// RetryAfter is, for wire.LockedOut and wire.Throttled, how long until
	// the server takes a try again: from Retry-After or from the
	// sentence's "Try again in N seconds"; 0 when it does not say.
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
	// Field, when set, is the field of an answer in the API's JSON that
	// twofa refused: missing, too long, or not what it must be.
	Field *BadField
}

// Error describes the answer without quoting its body.
func (b *BadResponse) Error() string {
	switch {
	case b.Field != nil:
		return fmt.Sprintf("HTTP %d answer with a bad field: %v", b.Status, b.Field)
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

// FieldProblem is what is wrong with a field of an answer.
type FieldProblem int

// Problems of a BadField.
const (
	FieldMissing     FieldProblem = iota + 1 // absent or empty, and required
	FieldTooLong                             // more characters than Limit
	FieldTooMany                             // more items than Limit
	FieldNotPlain                            // a token, secret or code with characters other than printable ASCII
	FieldOutOfRange                          // a number below 0 or above Limit
	FieldNotBase32                           // a TOTP secret that is not base32
	FieldNotTOTPURI                          // an otpauth_url that is not an otpauth://totp/ URI with a label
	FieldMismatch                            // an otpauth_url whose secret is not the answer's secret
	FieldUnsupported                         // an otpauth_url asking for other codes than SHA-1, 6 digits, 30 s
)

// BadField is a field of an answer twofa refused, as JSON names it
// ("username", "backup_codes[3]"): its problem, the bound and what was
// found (characters, items or the number).
type BadField struct {
	Field   string
	Problem FieldProblem
	Limit   int
	Got     int
}

// Error names the field and its problem.
func (f *BadField) Error() string {
	what := map[FieldProblem]string{
		FieldMissing:     "missing",
		FieldTooLong:     fmt.Sprintf("%d characters, more than %d", f.Got, f.Limit),
		FieldTooMany:     fmt.Sprintf("%d items, more than %d", f.Got, f.Limit),
		FieldNotPlain:    "characters other than printable ASCII",
		FieldOutOfRange:  fmt.Sprintf("%d is outside 0..%d", f.Got, f.Limit),
		FieldNotBase32:   "not base32",
		FieldNotTOTPURI:  "not an otpauth://totp/ URI",
		FieldMismatch:    "its secret differs from the answer's secret",
		FieldUnsupported: "asks for codes other than SHA-1, 6 digits, every 30 seconds",
	}[f.Problem]
	if what == "" {
		what = "cannot be checked"
	}
	return f.Field + ": " + what
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
