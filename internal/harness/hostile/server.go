package hostile

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
)

// Options say what Wrap makes hostile beyond every text field.
type Options struct {
	// RefuseUser is a username whose password sign-in is refused with a
	// 400 and a hostile sentence without a code, so the client shows the
	// sentence itself (an unknown refusal): the Sign in screen's error line.
	RefuseUser string
	// Codes adds a clipboard-writing sequence to every backup code, which
	// the client must refuse as a whole answer.
	Codes bool
}

// textFields are the JSON fields that carry text a person reads.
var textFields = []string{"message", "detail", "username", "role", "status", "version"}

// Wrap puts a hostile server in front of next (a servertest Wrap): every
// JSON answer of next comes back with Text(value) in each text field, the
// otpauth URI's issuer and account label hostile (percent-encoded, a valid
// URI still, with next's secret), and what opts asks for. Sign-in, TOTP
// codes and sessions all still work: only text changes.
func Wrap(opts Options) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if opts.RefuseUser != "" && r.URL.Path == "/api/auth/token" {
				// Read the form from a copy: next reads the body again.
				body, _ := io.ReadAll(r.Body)
				r.Body = io.NopCloser(bytes.NewReader(body))
				if form, err := url.ParseQuery(string(body)); err == nil && form.Get("username") == opts.RefuseUser {
					w.Header().Set("Content-Type", "application/json")
					w.WriteHeader(http.StatusBadRequest)
					_ = json.NewEncoder(w).Encode(map[string]any{"success": false, "message": Text("This account is suspended.")})
					return
				}
			}
			rec := httptest.NewRecorder()
			next.ServeHTTP(rec, r)
			body := rec.Body.Bytes()
			var obj map[string]any
			if strings.HasPrefix(rec.Header().Get("Content-Type"), "application/json") && json.Unmarshal(body, &obj) == nil {
				rewrite(obj, opts)
				body, _ = json.Marshal(obj)
			}
			for k, v := range rec.Header() {
				if k != "Content-Length" {
					w.Header()[k] = v
				}
			}
			w.Header().Set("Content-Length", strconv.Itoa(len(body)))
			w.WriteHeader(rec.Code)
			_, _ = w.Write(body)
		})
	}
}

// rewrite makes an answer hostile in place.
func rewrite(obj map[string]any, opts Options) {
	for k, v := range obj {
		switch v := v.(type) {
		case string:
			for _, f := range textFields {
				if k == f {
					obj[k] = Text(v)
				}
			}
		case map[string]any:
			rewrite(v, opts)
		}
	}
	if uri, ok := obj["otpauth_url"].(string); ok {
		obj["otpauth_url"] = hostileURI(uri)
	}
	if list, ok := obj["backup_codes"].([]any); ok && opts.Codes {
		for i, c := range list {
			if s, ok := c.(string); ok {
				list[i] = s + Sequences[2].Bytes
			}
		}
	}
}

// hostileURI keeps uri's secret and parameters and makes its issuer and
// account hostile.
func hostileURI(uri string) string {
	u, err := url.Parse(uri)
	if err != nil {
		return uri
	}
	q := u.Query()
	label := strings.TrimPrefix(u.Path, "/")
	issuer, account, found := strings.Cut(label, ":")
	if !found {
		issuer, account = q.Get("issuer"), label
	}
	issuer, account = Text(issuer), Text(account)
	q.Set("issuer", issuer)
	u.Path = "/" + issuer + ":" + account
	u.RawQuery = q.Encode()
	return u.String()
}
