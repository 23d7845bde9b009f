package client

import (
	"bytes"
	"io"
	"net/http"
	"time"
)

// observer is the client's RoundTripper: it learns the server's clock from
// every response and writes the redacted debug log when one is configured.
type observer struct {
	next  http.RoundTripper
	clock *clockState // the Client's own; a ForPeer copy's comes with its request
	debug *debugLog   // nil when no debug log
}

// RoundTrip sends req through next and observes the answer.
func (o *observer) RoundTrip(req *http.Request) (*http.Response, error) {
	var reqBody []byte
	if o.debug != nil {
		reqBody = peekRequestBody(req)
	}
	clock := clockOf(req, o.clock)
	start := clock.now()
	resp, err := o.next.RoundTrip(req)
	at := clock.now()
	if err == nil {
		clock.observe(resp.Header, at)
	}
	if o.debug == nil {
		return resp, err
	}
	var respBody []byte
	if err == nil && resp.Body != nil {
		respBody, err = io.ReadAll(io.LimitReader(resp.Body, maxBody+1))
		resp.Body.Close()
		resp.Body = io.NopCloser(bytes.NewReader(respBody))
		if err != nil {
			resp = nil
		}
	}
	o.debug.exchange(req, reqBody, resp, respBody, err, clock.now().Sub(start))
	return resp, err
}

// peekRequestBody returns a copy of the request body without consuming it.
func peekRequestBody(req *http.Request) []byte {
	if req.Body == nil || req.Body == http.NoBody {
		return nil
	}
	if req.GetBody != nil {
		rc, err := req.GetBody()
		if err == nil {
			defer rc.Close()
			b, _ := io.ReadAll(rc)
			return b
		}
	}
	b, err := io.ReadAll(req.Body)
	req.Body.Close()
	req.Body = io.NopCloser(bytes.NewReader(b))
	if err != nil {
		return nil
	}
	return b
}

// elapsed formats a duration for the log.
func elapsed(d time.Duration) string { return d.Round(time.Millisecond).String() }
