package client

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/twofa/twofa/internal/safetext"
)

// redacted replaces every secret value in the debug log.
const redacted = "[redacted]"

// secretFields are body fields whose values never reach the debug log.
var secretFields = map[string]bool{
	"password": true, "code": true, "backup_code": true, "temp_token": true,
	"access_token": true, "refresh_token": true, "secret": true, "otpauth_url": true,
	"qr_data_uri": true, "backup_codes": true, "token": true,
}

// secretHeaders are headers whose values never reach the debug log.
var secretHeaders = map[string]bool{"Authorization": true, "Cookie": true, "Set-Cookie": true, "Proxy-Authorization": true}

// debugLog writes one block per HTTP exchange with secrets redacted and
// every control or invisible character the server sent escaped
// (safetext.Escape), so a log on stderr is as safe as the screen.
type debugLog struct {
	mu sync.Mutex
	w  io.Writer
}

func newDebugLog(w io.Writer) *debugLog {
	if w == nil {
		return nil
	}
	return &debugLog{w: w}
}

// exchange logs one request and its answer or failure.
func (l *debugLog) exchange(req *http.Request, reqBody []byte, resp *http.Response, respBody []byte, err error, took time.Duration) {
	var b strings.Builder
	fmt.Fprintf(&b, "--> %s %s\n", req.Method, req.URL.EscapedPath())
	writeHeaders(&b, req.Header)
	if len(reqBody) > 0 {
		fmt.Fprintf(&b, "    body: %s\n", safetext.Escape(redactBody(req.Header.Get("Content-Type"), reqBody)))
	}
	if err != nil {
		fmt.Fprintf(&b, "<-- error after %s: %s\n", elapsed(took), safetext.Escape(err.Error()))
	} else {
		fmt.Fprintf(&b, "<-- %s (%s)\n", safetext.Escape(resp.Status), elapsed(took))
		writeHeaders(&b, resp.Header)
		if len(respBody) > 0 {
			fmt.Fprintf(&b, "    body: %s\n", safetext.Escape(redactBody(resp.Header.Get("Content-Type"), respBody)))
		}
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	io.WriteString(l.w, b.String())
}

func writeHeaders(b *strings.Builder, h http.Header) {
	keys := make([]string, 0, len(h))
	for k := range h {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		v := strings.Join(h[k], ", ")
		if secretHeaders[http.CanonicalHeaderKey(k)] {
			v = redacted
		}
		fmt.Fprintf(b, "    %s: %s\n", safetext.Escape(k), safetext.Escape(v))
	}
}

// redactBody renders a body for the log: JSON and form bodies with secret
// fields replaced, anything else only described.
func redactBody(contentType string, body []byte) string {
	mt, _, _ := mime.ParseMediaType(contentType)
	trimmed := bytes.TrimSpace(body)
	switch {
	case mt == "application/x-www-form-urlencoded":
		vals, err := url.ParseQuery(string(body))
		if err != nil {
			return fmt.Sprintf("(%d bytes of unparsable form data, not shown)", len(body))
		}
		for k := range vals {
			if secretFields[strings.ToLower(k)] {
				vals[k] = []string{redacted}
			}
		}
		return vals.Encode()
	case len(trimmed) > 0 && (trimmed[0] == '{' || trimmed[0] == '['):
		dec := json.NewDecoder(bytes.NewReader(trimmed))
		dec.UseNumber()
		var v any
		if err := dec.Decode(&v); err != nil {
			return fmt.Sprintf("(%d bytes of invalid JSON, not shown)", len(body))
		}
		out, err := json.Marshal(redactValue(v))
		if err != nil {
			return fmt.Sprintf("(%d bytes of JSON, not shown)", len(body))
		}
		return string(out)
	}
	if mt == "" {
		mt = http.DetectContentType(body)
	}
	return fmt.Sprintf("(%d bytes of %s, not shown)", len(body), mt)
}

// redactValue replaces the values of secret fields anywhere in a JSON value.
func redactValue(v any) any {
	switch t := v.(type) {
	case map[string]any:
		for k, val := range t {
			if secretFields[strings.ToLower(k)] {
				t[k] = redacted
				continue
			}
			t[k] = redactValue(val)
		}
	case []any:
		for i := range t {
			t[i] = redactValue(t[i])
		}
	}
	return v
}
