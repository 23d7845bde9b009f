package servertest_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/twofa/twofa/internal/harness/testclock"
	"github.com/twofa/twofa/internal/harness/testdb"
	"github.com/twofa/twofa/server"
	"github.com/twofa/twofa/server/servertest"
)

// post sends a form or JSON body and decodes the JSON answer.
func post(t *testing.T, s *servertest.Server, path, token string, body any) (int, map[string]any) {
	t.Helper()
	var req *http.Request
	if form, ok := body.(url.Values); ok {
		req, _ = http.NewRequest("POST", s.URL+path, strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	} else {
		j, _ := json.Marshal(body)
		req, _ = http.NewRequest("POST", s.URL+path, strings.NewReader(string(j)))
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	res, err := s.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var out map[string]any
	_ = json.NewDecoder(res.Body).Decode(&out)
	return res.StatusCode, out
}

// TestServer: on each backend, a user made with CreateUser signs in; Code
// gives the code the server accepts at its clock; the clock moves only
// when the test moves it (a pending sign-in expires after Advance); the
// state outlives a restart on the same database; the log is captured.
func TestServer(t *testing.T) {
	for _, b := range testdb.Backends() {
		t.Run(string(b), func(t *testing.T) {
			s := servertest.New(t, servertest.Options{Backend: b})
			if s.Database.Backend != b || !s.Clock.Now().Equal(servertest.Start) {
				t.Fatalf("database %+v, clock %v", s.Database, s.Clock.Now())
			}
			s.CreateUser(t, "ana", "ana password", "user")
			_, login := post(t, s, "/api/auth/token", "", url.Values{"username": {"ana"}, "password": {"ana password"}})
			session, _ := login["access_token"].(string)
			status, setup := post(t, s, "/api/auth/2fa/setup", session, map[string]string{"password": "ana password"})
			if status != 200 || !strings.HasPrefix(setup["otpauth_url"].(string), "otpauth://totp/twofa:ana?") {
				t.Fatalf("setup: %d %v", status, setup)
			}
			secret := setup["secret"].(string)
			if status, _ := post(t, s, "/api/auth/2fa/verify-setup", session, map[string]string{"code": s.Code(t, secret)}); status != 200 {
				t.Fatalf("verify-setup with Code: %d", status)
			}
			_, login = post(t, s, "/api/auth/token", "", url.Values{"username": {"ana"}, "password": {"ana password"}})
			s.Clock.Advance(server.PendingTTL + time.Second)
			if status, out := post(t, s, "/api/auth/2fa/validate", "", map[string]string{"temp_token": login["access_token"].(string), "code": s.Code(t, secret)}); status != 401 || out["code"] != "pending_expired" {
				t.Fatalf("validate after the pending token's life: %d %v", status, out)
			}
			if !strings.Contains(s.Log(), "/api/auth/2fa/validate") || strings.Contains(s.Log(), "duration=") {
				t.Fatalf("log without the request or with durations:\n%s", s.Log())
			}
			s.Close()
			s.Close()

			again := servertest.New(t, servertest.Options{Database: &s.Database, Clock: s.Clock})
			_, login = post(t, again, "/api/auth/token", "", url.Values{"username": {"ana"}, "password": {"ana password"}})
			if login["requires_2fa"] != true {
				t.Fatalf("after a restart: %v", login)
			}
		})
	}
}

// TestOptions: Configure changes the server's options, Wrap puts a handler
// in front, a clock of the test's own is the server's.
func TestOptions(t *testing.T) {
	clk := testclock.New(time.Date(2030, 1, 2, 10, 0, 5, 0, time.UTC))
	s := servertest.New(t, servertest.Options{
		Clock:     clk,
		Configure: func(o *server.Options) { o.Issuer = "elsewhere" },
		Wrap: func(h http.Handler) http.Handler {
			return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("X-Wrapped", "yes")
				h.ServeHTTP(w, r)
			})
		},
	})
	if s.Clock != clk || s.Config.Issuer != "elsewhere" {
		t.Fatalf("clock %p (want %p), issuer %q", s.Clock, clk, s.Config.Issuer)
	}
	res, err := s.Client().Get(s.URL + "/api/health")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != 200 || res.Header.Get("X-Wrapped") != "yes" {
		t.Fatalf("health: %d, X-Wrapped %q", res.StatusCode, res.Header.Get("X-Wrapped"))
	}
}

// TestCodeAt is RFC 6238's SHA-1 test vector (its 8-digit code ends in these 6).
func TestCodeAt(t *testing.T) {
	secret := "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ" // "12345678901234567890"
	if got := servertest.CodeAt(t, secret, time.Unix(59, 0)); got != "287082" {
		t.Fatalf("CodeAt(T=59) = %s, want 287082", got)
	}
}
