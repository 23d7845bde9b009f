package words

import (
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"strings"

	"github.com/twofa/twofa/client"
	"github.com/twofa/twofa/internal/privatefile"
	"github.com/twofa/twofa/internal/safetext"
	"github.com/twofa/twofa/internal/wire"
)

// Error turns an error into one short, calm sentence a person can act on:
// what happened, at which server, and what to try. It never contains a
// password, code or token; an error it does not know is shown as its own
// text on one line.
func (w Words) Error(err error) string {
	if err == nil {
		return ""
	}
	var said *Explained
	var api *client.APIError
	var tr *client.TransportError
	var addr *client.AddressError
	var unsafe *privatefile.UnsafeError
	switch {
	case errors.As(err, &said):
		return said.sentence
	case errors.As(err, &api):
		return apiSentence(api)
	case errors.As(err, &tr):
		return w.transportSentence(tr)
	case errors.As(err, &addr):
		return w.addressSentence(addr)
	case errors.As(err, &unsafe):
		return unsafeSentence(unsafe)
	case errors.Is(err, client.ErrNotOffered):
		return "This server does not offer that feature."
	case errors.Is(err, context.Canceled):
		return "Cancelled."
	case errors.Is(err, context.DeadlineExceeded):
		return "The server did not answer in time. Check your network and try again."
	}
	return oneLine(err.Error())
}

// apiSentence words a refusal by its code, else by its status.
func apiSentence(e *client.APIError) string {
	switch e.Code {
	case wire.InvalidCredentials:
		return "Incorrect username or password."
	case wire.InvalidCode:
		if e.Status == 0 {
			return "That does not look like a code: " + e.Detail + "."
		}
		return WrongCode(strings.Contains(strings.ToLower(e.Detail), "backup"))
	case wire.CodeReused:
		return CodeReused(0)
	case wire.LockedOut:
		return LockedOut(e.RetryAfter)
	case wire.Throttled:
		return Throttled(e.RetryAfter)
	case wire.PendingExpired:
		return SignInExpired
	case wire.Unauthorized:
		if e.Status == 0 {
			return "You are not signed in. Sign in first."
		}
		return SessionEnded
	}
	if s := codeSentence(e.Code); s != "" {
		return s
	}
	switch {
	case e.Status >= 500:
		return fmt.Sprintf("The server had a problem (HTTP %d). Try again in a moment; if it persists, tell its administrator.", e.Status)
	case e.Detail != "":
		return fmt.Sprintf("The server refused: %s", strings.TrimSuffix(e.Detail, ".")+".")
	}
	return fmt.Sprintf("The server refused the request (HTTP %d).", e.Status)
}

// codeSentence is the sentence of a refusal that depends on nothing but
// its code; "" for any other code.
func codeSentence(code string) string {
	switch code {
	case wire.AlreadyEnabled:
		return "Two-factor authentication is already on for this account."
	case wire.NotEnabled:
		return "Two-factor authentication is not on for this account."
	case wire.SetupRequired:
		return "Enrollment has not started or was replaced. Start enabling two-factor authentication again."
	case wire.PasswordRequired:
		return "This server asks for your account password again before changing 2FA. Enter it and retry."
	case wire.InvalidPassword:
		return "That password is not right. Enter your account password and try again."
	case wire.Forbidden:
		return "Your account is not allowed to do that."
	case wire.CustomerPortalOnly:
		return "The server signs this account in only at its Customer Portal, and it has no Customer Portal sign-in for twofa."
	case wire.NoCustomerPortal:
		return "This account does not have access to the Customer Portal."
	}
	return ""
}

// transportSentence words a failure to get any answer from the server.
func (w Words) transportSentence(e *client.TransportError) string {
	s := e.Server
	switch e.Kind {
	case client.KindHTTPRefused:
		risk := "Use https://."
		if w.settings.AllowHTTP != "" {
			risk = "Use https://, or pass " + w.settings.AllowHTTP + " if you accept that risk."
		}
		return fmt.Sprintf("Refusing plain http:// to %s: your password and session would cross the network unencrypted. %s", s, risk)
	case client.KindRefused:
		return fmt.Sprintf("Could not connect to %s (connection refused). Check the address and port, and that the server is running.", s)
	case client.KindDNS:
		host := s
		var dnsErr *net.DNSError
		if errors.As(e.Err, &dnsErr) && dnsErr.Name != "" {
			host = dnsErr.Name
		}
		return fmt.Sprintf("Could not find the host %s (DNS lookup failed). Check the spelling of %s and your network.", host, w.server())
	case client.KindTimeout:
		return fmt.Sprintf("%s did not answer within %s. Check your network or VPN, or try again later.", s, Duration(client.RequestTimeout))
	case client.KindTLS:
		return w.tlsSentence(s, e.Err)
	case client.KindBadResponse:
		var b *client.BadResponse
		if errors.As(e.Err, &b) && b.Field != nil {
			return w.badFieldSentence(s, b.Field)
		}
		if errors.As(e.Err, &b) {
			return w.badResponseSentence(s, b)
		}
		return fmt.Sprintf("%s did not answer like the account API. Check %s.", s, w.server())
	}
	return fmt.Sprintf("The connection to %s failed (%s). Check your network and try again.", s, shortCause(e.Err))
}

func (w Words) tlsSentence(s string, err error) string {
	var unknownCA x509.UnknownAuthorityError
	var hostname x509.HostnameError
	var invalid x509.CertificateInvalidError
	switch {
	case errors.Is(err, client.ErrPlainHTTPAnswer):
		return fmt.Sprintf("%s answered in plain HTTP, not HTTPS. Check the port; a server on this machine may be reached with http:// instead.", s)
	case errors.As(err, &unknownCA):
		fix := "its CA must be trusted here"
		if w.settings.CACert != "" {
			fix = "pass " + w.settings.CACert
		}
		return fmt.Sprintf("The certificate of %s is not signed by an authority this computer trusts. If the server uses a private CA, %s.", s, fix)
	case errors.As(err, &hostname):
		return fmt.Sprintf("The certificate of %s is not valid for that host name. Check %s (use the name on the certificate).", s, w.server())
	case errors.As(err, &invalid):
		if invalid.Reason == x509.Expired {
			return fmt.Sprintf("The certificate of %s has expired or is not yet valid. Check this computer's clock; otherwise tell the server's administrator.", s)
		}
		return fmt.Sprintf("The certificate of %s is not valid (%s). Tell the server's administrator.", s, invalid.Error())
	}
	return fmt.Sprintf("Could not set up a secure connection to %s. Is it really an https server at that port?", s)
}

func (w Words) badResponseSentence(s string, b *client.BadResponse) string {
	status := fmt.Sprintf("%d", b.Status)
	if b.StatusText != "" {
		status += " " + b.StatusText
	}
	switch {
	case b.Location != "":
		return fmt.Sprintf("%s answered with a redirect (%s) to %s. Point %s at the final address.", s, status, b.Location, w.server())
	case b.Empty && b.Status >= 500:
		return fmt.Sprintf("%s answered %s with an empty page: the API behind it may be down. Try again later, or tell its administrator.", s, status)
	case b.Empty:
		return fmt.Sprintf("%s answered %s with an empty page instead of the API's JSON. Check that %s points at the account API.", s, status, w.server())
	case b.ContentType == "text/html":
		return fmt.Sprintf("%s answered %s with a web page instead of the API's JSON: a proxy error or the wrong address. Check %s (the API lives under /api/auth).", s, status, w.server())
	}
	ct := b.ContentType
	if ct == "" {
		ct = "untyped"
	}
	return fmt.Sprintf("%s answered %s with something that is not the API's JSON (%s). Check %s.", s, status, ct, w.server())
}

// addressSentence words a server address the client refused to use.
func (w Words) addressSentence(e *client.AddressError) string {
	switch e.Problem {
	case client.AddressEmpty:
		if w.settings.Server == "" {
			return "No server given."
		}
		return "No server given: pass " + w.settings.Server + " https://host."
	case client.AddressNotURL:
		return fmt.Sprintf("The server address %q is not a URL.", e.Address)
	case client.AddressScheme:
		return fmt.Sprintf("The server address %q is not https:// (or http:// to this machine), which is all twofa speaks.", e.Address)
	case client.AddressNoHost:
		return fmt.Sprintf("The server address %q has no host.", e.Address)
	case client.AddressUserInfo:
		return "A server address must not contain a user name or password."
	case client.AddressQuery:
		return fmt.Sprintf("The server address %q must not contain ? or #.", e.Address)
	}
	return oneLine(e.Error())
}

// shortCause keeps the last part of a network error ("connection reset by peer").
func shortCause(err error) string {
	if err == nil {
		return "unknown error"
	}
	msg := err.Error()
	if i := strings.LastIndex(msg, ": "); i >= 0 {
		msg = msg[i+2:]
	}
	return oneLine(msg)
}

// oneLine is text of unknown origin (an error's own words, which may quote
// a server) made safe and short for one line of a terminal.
func oneLine(s string) string {
	s = safetext.Line(s)
	if r := []rune(s); len(r) > 200 {
		s = string(r[:199]) + "…"
	}
	return s
}
