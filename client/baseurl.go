package client

import (
	"fmt"
	"net"
	"net/netip"
	"net/url"
	"strings"
)

// normalizeBase turns the user's server address into "scheme://host[:port][/prefix]"
// without a trailing slash or "/api", and refuses plain http to a host that is
// not loopback unless allowHTTP.
func normalizeBase(raw string, allowHTTP bool) (string, error) {
	s := strings.TrimSpace(raw)
	if s == "" {
		return "", &AddressError{Problem: AddressEmpty}
	}
	if !strings.Contains(s, "://") {
		s = "https://" + s
	}
	u, err := url.Parse(s)
	if err != nil {
		return "", &AddressError{Address: raw, Problem: AddressNotURL, Err: err}
	}
	u.Scheme = strings.ToLower(u.Scheme)
	if u.Scheme != "https" && u.Scheme != "http" {
		return "", &AddressError{Address: raw, Problem: AddressScheme}
	}
	if u.Host == "" || u.Hostname() == "" {
		return "", &AddressError{Address: raw, Problem: AddressNoHost}
	}
	if u.User != nil {
		return "", &AddressError{Problem: AddressUserInfo}
	}
	if u.RawQuery != "" || u.Fragment != "" {
		return "", &AddressError{Address: raw, Problem: AddressQuery}
	}
	path := strings.TrimRight(u.EscapedPath(), "/")
	path = strings.TrimSuffix(path, "/api")
	base := u.Scheme + "://" + strings.ToLower(u.Host) + path
	if u.Scheme == "http" && !allowHTTP && !IsLoopback(u.Hostname()) {
		return "", &TransportError{Server: base, Kind: KindHTTPRefused,
			Err: fmt.Errorf("plain http to non-loopback host %s", u.Hostname())}
	}
	return base, nil
}

// IsLoopback reports whether host is "localhost" or an address in 127.0.0.0/8 or ::1.
func IsLoopback(host string) bool {
	host = strings.TrimSuffix(strings.ToLower(host), ".")
	if host == "localhost" {
		return true
	}
	host = strings.Trim(host, "[]")
	if ip, err := netip.ParseAddr(host); err == nil {
		return ip.Unmap().IsLoopback()
	}
	// net.ParseIP accepts a few forms netip does not; keep the two in step.
	if ip := net.ParseIP(host); ip != nil {
		return ip.IsLoopback()
	}
	return false
}
