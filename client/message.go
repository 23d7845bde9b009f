package client

import (
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"strings"
	"time"
)

// Message turns any error of this package into one short, calm sentence a
// person can act on: what happened, at which server, and what to try. It
// never contains a password, code or token.
func Message(err error) string {
	if err == nil {
		return ""
	}
	var api *APIError
	var tr *TransportError
	switch {
	case errors.As(err, &api):
		return apiMessage(api)
	case errors.As(err, &tr):
		return transportMessage(tr)
	case errors.Is(err, ErrNotOffered):
		return "This server does not offer that feature."
	case errors.Is(err, context.Canceled):
		return "Cancelled."
	case errors.Is(err, context.DeadlineExceeded):
		return "The server did not answer in time. Check your network and try again."
	}
	return oneLine(err.Error())
}

func apiMessage(e *APIError) string {
	switch e.Code {
	case CodeInvalidCredentials:
		return "Incorrect username or password."
	case CodeInvalidCode:
		if e.Status == 0 {
			return "That does not look like a code: " + e.Detail + "."
		}
		if strings.Contains(strings.ToLower(e.Detail), "backup") {
			return "That backup code was not accepted. Check it (each one works only once) and try again."
		}
		return "That code was not accepted. Type the code your authenticator app shows now; if it keeps failing, check this device's clock."
	case CodeCodeReused:
		return "That code was just used. Wait for your authenticator app to show the next code."
	case CodeLockedOut:
		if e.RetryAfter > 0 {
			return fmt.Sprintf("Too many wrong codes: second-factor checks are locked. Try again in %s.", humanDuration(e.RetryAfter))
		}
		return "Too many wrong codes: second-factor checks are locked for a while. Try again later."
	case CodePendingExpired:
		return "This sign-in has expired. Sign in again with your password."
	case CodeAlreadyEnabled:
		return "Two-factor authentication is already on for this account."
	case CodeNotEnabled:
		return "Two-factor authentication is not on for this account."
	case CodeSetupRequired:
		return "Enrollment has not started or was replaced. Start enabling two-factor authentication again."
	case CodeUnauthorized:
		if e.Status == 0 {
			return "You are not signed in. Sign in first."
		}
		return "Your session has ended or is no longer valid. Sign in again."
	case CodePasswordRequired:
		return "This server asks for your account password again before changing 2FA. Enter it and retry."
	case CodeInvalidPassword:
		return "That password is not right. Enter your account password and try again."
	case CodeForbidden:
		return "Your account is not allowed to do that."
	case CodeCustomerPortalOnly:
		return "The server signs this account in only at its Customer Portal, and it has no Customer Portal sign-in for twofa."
	case CodeNoCustomerPortal:
		return "This account does not have access to the Customer Portal."
	}
	switch {
	case e.Status >= 500:
		return fmt.Sprintf("The server had a problem (HTTP %d). Try again in a moment; if it persists, tell its administrator.", e.Status)
	case e.Detail != "":
		return fmt.Sprintf("The server refused: %s", strings.TrimSuffix(e.Detail, ".")+".")
	}
	return fmt.Sprintf("The server refused the request (HTTP %d).", e.Status)
}

func transportMessage(e *TransportError) string {
	s := e.Server
	switch e.Kind {
	case KindHTTPRefused:
		return fmt.Sprintf("Refusing plain http:// to %s: your password and session would cross the network unencrypted. Use https://, or pass --allow-http if you accept that risk.", s)
	case KindRefused:
		return fmt.Sprintf("Could not connect to %s (connection refused). Check the address and port, and that the server is running.", s)
	case KindDNS:
		host := s
		var dnsErr *net.DNSError
		if errors.As(e.Err, &dnsErr) && dnsErr.Name != "" {
			host = dnsErr.Name
		}
		return fmt.Sprintf("Could not find the host %s (DNS lookup failed). Check the spelling of --server and your network.", host)
	case KindTimeout:
		return fmt.Sprintf("%s did not answer within %d seconds. Check your network or VPN, or try again later.", s, int(RequestTimeout/time.Second))
	case KindTLS:
		return tlsMessage(s, e.Err)
	case KindBadResponse:
		var b *badResponse
		if errors.As(e.Err, &b) {
			return badResponseMessage(s, b)
		}
		return fmt.Sprintf("%s did not answer like the account API. Check --server.", s)
	}
	return fmt.Sprintf("The connection to %s failed (%s). Check your network and try again.", s, shortCause(e.Err))
}

func tlsMessage(s string, err error) string {
	var unknownCA x509.UnknownAuthorityError
	var hostname x509.HostnameError
	var invalid x509.CertificateInvalidError
	switch {
	case err != nil && strings.Contains(err.Error(), plainHTTPAnswer):
		return fmt.Sprintf("%s answered in plain HTTP, not HTTPS. Check the port; a server on this machine may be reached with http:// instead.", s)
	case errors.As(err, &unknownCA):
		return fmt.Sprintf("The certificate of %s is not signed by an authority this computer trusts. If the server uses a private CA, pass --ca-cert FILE.", s)
	case errors.As(err, &hostname):
		return fmt.Sprintf("The certificate of %s is not valid for that host name. Check --server (use the name on the certificate).", s)
	case errors.As(err, &invalid):
		if invalid.Reason == x509.Expired {
			return fmt.Sprintf("The certificate of %s has expired or is not yet valid. Check this computer's clock; otherwise tell the server's administrator.", s)
		}
		return fmt.Sprintf("The certificate of %s is not valid (%s). Tell the server's administrator.", s, invalid.Error())
	}
	return fmt.Sprintf("Could not set up a secure connection to %s. Is it really an https server at that port?", s)
}

func badResponseMessage(s string, b *badResponse) string {
	status := fmt.Sprintf("%d", b.Status)
	if b.StatusText != "" {
		status += " " + b.StatusText
	}
	switch {
	case b.Location != "":
		return fmt.Sprintf("%s answered with a redirect (%s) to %s. Point --server at the final address.", s, status, b.Location)
	case b.Empty && b.Status >= 500:
		return fmt.Sprintf("%s answered %s with an empty page: the API behind it may be down. Try again later, or tell its administrator.", s, status)
	case b.Empty:
		return fmt.Sprintf("%s answered %s with an empty page instead of the API's JSON. Check that --server points at the account API.", s, status)
	case b.ContentType == "text/html":
		return fmt.Sprintf("%s answered %s with a web page instead of the API's JSON: a proxy error or the wrong address. Check --server (the API lives under /api/auth).", s, status)
	}
	return fmt.Sprintf("%s answered %s with something that is not the API's JSON (%s). Check --server.", s, status, orUnknown(b.ContentType))
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

// humanDuration renders a lockout like "14 min 59 s" or "40 s".
func humanDuration(d time.Duration) string {
	d = d.Round(time.Second)
	if d < time.Minute {
		return fmt.Sprintf("%d s", int(d/time.Second))
	}
	m := int(d / time.Minute)
	sec := int((d % time.Minute) / time.Second)
	if sec == 0 {
		return fmt.Sprintf("%d min", m)
	}
	return fmt.Sprintf("%d min %d s", m, sec)
}
