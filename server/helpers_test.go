package server

import (
	"fmt"
	"net/http/httptest"
	"net/netip"
	"strconv"
)

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func mustPrefixes(cidrs ...string) []netip.Prefix {
	var out []netip.Prefix
	for _, c := range cidrs {
		out = append(out, netip.MustParsePrefix(c))
	}
	return out
}

func newHTTPTest(s *Server) *httptest.Server { return httptest.NewServer(s.Handler()) }

func fmtAny(v any) string { return fmt.Sprint(v) }
