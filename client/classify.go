package client

import (
	"bytes"
	"errors"
	"mime"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/twofa/twofa/internal/safetext"
	"github.com/twofa/twofa/internal/wire"
)

// route names an API route, so that a stock CoPilot's bare status and
// sentence can be read in context.
type route int

const (
	routeToken route = iota
	routeCustomerToken
	routeRefresh
	routeStatus
	routeSetup
	routeVerifySetup
	routeValidate
	routeDisable
	routeRegenerate
	routeAdminReset
	routeMe
	routeLogout
	routeHealth
	routeUsers
	routeUnlock
	routeEvents
	routeTempPassword
)

// errorBody is every error shape api.md lists: the reference server's
// {"detail", "code"}, CoPilot's {"success": false, "message"} and its 422
// {"message", "details"}, and FastAPI's own {"detail"} (a sentence, or a
// list of validation problems).
type errorBody struct {
	Code    string   `json:"code" text:"max=64"`
	Message sentence `json:"message" text:"max=512"`
	Detail  sentence `json:"detail" text:"max=512"`
}

// apiError reads a 4xx/5xx answer; a body that is not a JSON object is a
// TransportError of kind bad_response (a proxy page, an empty 502), and so
// is one with a code or sentence over its bound.
func (c *Client) apiError(rt route, resp *http.Response, body []byte) error {
	trimmed := bytes.TrimSpace(body)
	var eb errorBody
	if len(trimmed) == 0 || trimmed[0] != '{' {
		return c.badResponse(resp, body)
	}
	if err := decode(trimmed, &eb); err != nil {
		var bf *BadField
		if errors.As(err, &bf) {
			return c.badField(resp.StatusCode, bf)
		}
		return c.badResponse(resp, body)
	}
	text := string(eb.Message)
	if text == "" {
		text = string(eb.Detail)
	}
	e := &APIError{Status: resp.StatusCode, Code: eb.Code, Detail: text}
	if e.Code == "" {
		e.Code = classify(rt, e.Status, e.Detail)
	}
	if e.Code == wire.LockedOut || e.Code == wire.Throttled {
		e.RetryAfter = retryAfter(resp.Header.Get("Retry-After"), e.Detail, c.clock.now())
	}
	return e
}

// classify maps an answer without a code to one (api.md, "Errors"): first
// the sentences CoPilot uses on every route, then what a bare status means
// on this route. "" when nothing fits: the caller shows the sentence and
// never guesses that a sign-in or session ended.
func classify(rt route, status int, sentence string) string {
	if status == http.StatusTooManyRequests {
		// A password check held back (a proxy's rate limit, or a server
		// that sends no code), else a second-factor lockout.
		switch rt {
		case routeToken, routeCustomerToken, routeSetup:
			return wire.Throttled
		}
		return wire.LockedOut
	}
	if code := classifySentence(strings.ToLower(sentence)); code != "" {
		return code
	}
	portal := strings.Contains(strings.ToLower(sentence), "customer portal")
	switch rt {
	case routeToken, routeCustomerToken:
		switch {
		case status == http.StatusUnauthorized:
			return wire.InvalidCredentials
		case status == http.StatusForbidden && portal && rt == routeToken:
			return wire.CustomerPortalOnly
		case status == http.StatusForbidden && portal:
			return wire.NoCustomerPortal
		case status == http.StatusForbidden:
			return wire.Forbidden
		}
	case routeValidate:
		// No session is involved here: only an answer naming the pending
		// token says the sign-in itself is over.
		if status == http.StatusUnauthorized && strings.Contains(strings.ToLower(sentence), "token") {
			return wire.PendingExpired
		}
	case routeHealth:
	default:
		// Every other route checks a session first, and that check is
		// CoPilot's only 401 there.
		switch status {
		case http.StatusUnauthorized:
			return wire.Unauthorized
		case http.StatusForbidden:
			return wire.Forbidden
		}
	}
	return ""
}

// coPilotSentences are parts of CoPilot's own sentences (lower-cased), the
// same on every route, and the code each means; the first part found wins.
var coPilotSentences = []struct{ part, code string }{
	{"too many failed", wire.LockedOut},
	{"already been used", wire.CodeReused},
	{"incorrect username or password", wire.InvalidCredentials},
	{"invalid authentication code", wire.InvalidCode},
	{"invalid verification code", wire.InvalidCode},
	{"invalid backup code", wire.InvalidCode},
	{"already enabled", wire.AlreadyEnabled},
	{"not enabled", wire.NotEnabled},
	{"no 2fa setup found", wire.SetupRequired},
	{"not authenticated", wire.Unauthorized},
}

// classifySentence recognises CoPilot's own sentences (lower-cased).
func classifySentence(s string) string {
	for _, c := range coPilotSentences {
		if strings.Contains(s, c.part) {
			return c.code
		}
	}
	return ""
}

var tryAgainIn = regexp.MustCompile(`(?i)try again in (\d+) seconds?`)

// maxRetryAfter is the longest wait a server is believed about; a longer
// one is read as "later" (no countdown of days for a misconfigured server).
const maxRetryAfter = 24 * time.Hour

// retryAfter reads the remaining lockout from a Retry-After header (seconds
// or an HTTP date) or else from CoPilot's "Try again in N seconds." sentence.
func retryAfter(header, sentence string, now time.Time) time.Duration {
	d := retryAfterHeader(strings.TrimSpace(header), now)
	if d < 0 {
		d = 0
		if m := tryAgainIn.FindStringSubmatch(sentence); m != nil {
			if n, err := strconv.Atoi(m[1]); err == nil && n <= int(maxRetryAfter/time.Second) {
				// CoPilot truncates: "in 0 seconds" is a lock still on for
				// less than a second, not one already over.
				d = time.Duration(max(n, 1)) * time.Second
			}
		}
	}
	if d > maxRetryAfter {
		return 0
	}
	return d
}

// retryAfterHeader reads a Retry-After header; -1 when there is none or it
// is neither seconds nor an HTTP date.
func retryAfterHeader(header string, now time.Time) time.Duration {
	if header == "" {
		return -1
	}
	if n, err := strconv.ParseInt(header, 10, 64); err == nil && n >= 0 {
		if n > int64(maxRetryAfter/time.Second) {
			return maxRetryAfter + time.Second
		}
		return time.Duration(n) * time.Second
	}
	if t, err := http.ParseTime(header); err == nil {
		if d := t.Sub(now); d > 0 {
			return d.Round(time.Second)
		}
		return 0
	}
	return -1
}

// badResponse wraps an answer that is not the API's JSON.
func (c *Client) badResponse(resp *http.Response, body []byte) error {
	b := &BadResponse{
		Status:     resp.StatusCode,
		StatusText: http.StatusText(resp.StatusCode),
		Empty:      len(bytes.TrimSpace(body)) == 0,
	}
	ct := resp.Header.Get("Content-Type")
	if ct == "" && !b.Empty {
		ct = http.DetectContentType(body)
	}
	if mt, _, err := mime.ParseMediaType(ct); err == nil {
		b.ContentType = mt
	}
	if resp.StatusCode >= 300 && resp.StatusCode < 400 {
		b.Location = "(none)"
		if loc, err := url.Parse(resp.Header.Get("Location")); err == nil && loc.String() != "" {
			loc.RawQuery, loc.Fragment, loc.User = "", "", nil
			if shown := safetext.Line(loc.String()); shown != "" && len(shown) <= MaxSentenceLen {
				b.Location = shown
			}
		}
	}
	return &TransportError{Server: c.base, Kind: KindBadResponse, Err: b}
}
