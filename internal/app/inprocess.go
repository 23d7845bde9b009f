package app

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"net/netip"
	"strconv"
	"time"
)

// inProcess carries a client's requests to a handler in this process —
// `twofa serve --ssh`: the SSH front end and the server it stands before
// are one process, so no request goes over the network (and nothing on
// this machine can pose as the front end). The person's address, which
// client.ForPeer names in X-Forwarded-For, becomes the request's remote
// address, as if they had connected to the server themselves; only this
// process's clients reach here, so the header is theirs to set.
type inProcess struct{ handler http.Handler }

// RoundTrip serves req with the handler and returns its answer.
func (t inProcess) RoundTrip(req *http.Request) (*http.Response, error) {
	r := req.Clone(req.Context())
	r.RemoteAddr = "127.0.0.1:0"
	if a, err := netip.ParseAddr(r.Header.Get("X-Forwarded-For")); err == nil {
		r.RemoteAddr = netip.AddrPortFrom(a, 0).String()
	}
	r.Header.Del("X-Forwarded-For")
	r.RequestURI = r.URL.RequestURI()
	if r.Body == nil {
		r.Body = http.NoBody
	}
	w := &answer{header: http.Header{}}
	t.handler.ServeHTTP(w, r)
	_ = r.Body.Close()
	if w.status == 0 {
		w.status = http.StatusOK
	}
	if w.header.Get("Date") == "" {
		w.header.Set("Date", time.Now().UTC().Format(http.TimeFormat))
	}
	return &http.Response{
		Status:        strconv.Itoa(w.status) + " " + http.StatusText(w.status),
		StatusCode:    w.status,
		Proto:         "HTTP/1.1",
		ProtoMajor:    1,
		ProtoMinor:    1,
		Header:        w.header,
		Body:          io.NopCloser(&w.body),
		ContentLength: int64(w.body.Len()),
		Request:       req,
	}, nil
}

// answer is the http.ResponseWriter of an in-process request.
type answer struct {
	header http.Header
	status int
	body   bytes.Buffer
}

// Header is the answer's header.
func (a *answer) Header() http.Header { return a.header }

// WriteHeader records the status; only the first counts, as on the wire.
func (a *answer) WriteHeader(status int) {
	if a.status == 0 {
		if status < 100 || status > 999 {
			panic(fmt.Sprintf("invalid status code %d", status))
		}
		a.status = status
	}
}

// Write appends to the body, sending the header first if not yet sent.
func (a *answer) Write(p []byte) (int, error) {
	a.WriteHeader(http.StatusOK)
	return a.body.Write(p)
}
