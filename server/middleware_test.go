package server

import (
	"net/http"
	"net/netip"
	"testing"
)

func mustPrefixes(cidrs ...string) []netip.Prefix {
	var out []netip.Prefix
	for _, c := range cidrs {
		out = append(out, netip.MustParsePrefix(c))
	}
	return out
}

// TestClientAddr: X-Forwarded-For is believed only from a trusted proxy.
func TestClientAddr(t *testing.T) {
	s := &Server{}
	s.opts.TrustedProxies = mustPrefixes("10.0.0.0/8")
	tests := []struct {
		remote, xff, want string
	}{
		{"203.0.113.5:1234", "", "203.0.113.5"},
		{"203.0.113.5:1234", "198.51.100.7", "203.0.113.5"},
		{"10.1.2.3:1234", "198.51.100.7", "198.51.100.7"},
		{"10.1.2.3:1234", "198.51.100.7, 10.9.9.9", "198.51.100.7"},
		{"10.1.2.3:1234", "1.1.1.1, 198.51.100.7", "198.51.100.7"},
		{"10.1.2.3:1234", "not-an-ip", "10.1.2.3"},
		{"[::ffff:203.0.113.9]:80", "", "203.0.113.9"},
	}
	for _, tt := range tests {
		r, _ := http.NewRequest("GET", "/", nil)
		r.RemoteAddr = tt.remote
		if tt.xff != "" {
			r.Header.Set("X-Forwarded-For", tt.xff)
		}
		if got := s.clientAddr(r); got != tt.want {
			t.Errorf("remote %s xff %q: got %s, want %s", tt.remote, tt.xff, got, tt.want)
		}
	}
}
