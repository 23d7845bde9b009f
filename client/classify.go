package client

import (
	"bytes"
	"encoding/json"
	"mime"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// route names an API route, so that a stock CoPilot's bare status and
// sentence can be read in context.
type route int

const (
	routeToken route = iota
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
)

// errorBody is FastAPI's error shape plus the reference server's code.
type errorBody struct {
	Detail json.RawMessage `json:"detail"`
	Code   string          `json:"code"`
}

// apiError reads a 4xx/5xx answer; a body that is not a JSON object is a
// TransportError of kind bad_response (a proxy page, an empty 502).
func (c *Client) apiError(rt route, resp *http.Response, body []byte) error {
	trimmed := bytes.TrimSpace(body)
	var eb errorBody
	if len(trimmed) == 0 || trimmed[0] != '{' || json.Unmarshal(trimmed, &eb) != nil {
		return c.badResponse(resp, body)
	}
	e := &APIError{Status: resp.StatusCode, Code: eb.Code, Detail: detailText(eb.Detail)}
	if e.Code == "" {
		e.Code = classify(rt, e.Status, e.Detail)
	}
	if e.Code == CodeLockedOut {
		e.RetryAfter = retryAfter(resp.Header.Get("Retry-After"), e.Detail, c.clock.now())
	}
	return e
}

// detailText flattens FastAPI's detail: a sentence, or a list of validation
// errors of which only "msg" is kept ("input" may echo what was sent).
func detailText(raw json.RawMessage) string {
	if len(raw) == 0 {
		return ""
	}
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return oneLine(s)
	}
	var list []struct {
		Msg string `json:"msg"`
		Loc []any  `json:"loc"`
	}
	if json.Unmarshal(raw, &list) == nil {
		parts := make([]string, 0, len(list))
		for _, it := range list {
			if it.Msg != "" {
				parts = append(parts, it.Msg)
			}
		}
		return oneLine(strings.Join(parts, "; "))
	}
	return ""
}

// oneLine collapses whitespace and caps the length of a server sentence.
func oneLine(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > 200 {
		s = string(r[:199]) + "…"
	}
	return s
}

// classify maps a stock CoPilot's status and sentence to a Code (api.md,
// "What a real CoPilot does"); "" when nothing fits.
func classify(rt route, status int, detail string) string {
	d := strings.ToLower(detail)
	has := func(sub ...string) bool {
		for _, s := range sub {
			if strings.Contains(d, s) {
				return true
			}
		}
		return false
	}
	switch {
	case status == http.StatusTooManyRequests || has("too many failed"):
		return CodeLockedOut
	case has("already been used"):
		return CodeCodeReused
	case has("incorrect username or password"):
		return CodeInvalidCredentials
	case has("verification token has expired", "invalid 2fa verification token"):
		return CodePendingExpired
	case has("already enabled"):
		return CodeAlreadyEnabled
	case has("not enabled"):
		return CodeNotEnabled
	case has("no 2fa setup found"):
		return CodeSetupRequired
	case has("invalid verification code", "invalid authentication code", "invalid backup code",
		"provide a totp code", "provide either a totp code"):
		return CodeInvalidCode
	case status == http.StatusUnauthorized:
		switch rt {
		case routeToken:
			return CodeInvalidCredentials
		case routeValidate:
			return CodePendingExpired
		}
		return CodeUnauthorized
	case status == http.StatusForbidden:
		if has("not authenticated") {
			return CodeUnauthorized
		}
		return CodeForbidden
	}
	return ""
}

var tryAgainIn = regexp.MustCompile(`(?i)try again in (\d+) seconds?`)

// retryAfter reads the remaining lockout from a Retry-After header (seconds
// or an HTTP date) or else from CoPilot's "Try again in N seconds." sentence.
func retryAfter(header, detail string, now time.Time) time.Duration {
	if header = strings.TrimSpace(header); header != "" {
		if n, err := strconv.Atoi(header); err == nil && n >= 0 {
			return time.Duration(n) * time.Second
		}
		if t, err := http.ParseTime(header); err == nil {
			if d := t.Sub(now); d > 0 {
				return d.Round(time.Second)
			}
			return 0
		}
	}
	if m := tryAgainIn.FindStringSubmatch(detail); m != nil {
		if n, err := strconv.Atoi(m[1]); err == nil {
			return time.Duration(n) * time.Second
		}
	}
	return 0
}

// badResponse wraps an answer that is not the API's JSON.
func (c *Client) badResponse(resp *http.Response, body []byte) error {
	b := &badResponse{
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
			b.Location = loc.String()
		}
	}
	return &TransportError{Server: c.base, Kind: KindBadResponse, Err: b}
}
