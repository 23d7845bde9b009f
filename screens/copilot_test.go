package screens

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/twofa/twofa/keyring"
	"github.com/twofa/twofa/server"
	"github.com/twofa/twofa/server/auth"
)

// stockCoPilot puts the reference server behind what a stock CoPilot
// offers: no /me and no /logout (404), and a setup that asks for no
// password (the proxy supplies it, as CoPilot never checks one).
func stockCoPilot(t *testing.T, clock *fakeClock) string {
	t.Helper()
	ctx := context.Background()
	srv, err := server.Open(ctx, server.Options{
		DSN:               "sqlite:" + filepath.Join(t.TempDir(), "twofa.db"),
		JWTSecret:         "q7Vx2mRkP9wLs4TzH8nBcY3dJfA6gUeK0oXi5NvQ",
		Now:               clock.Now,
		PasswordHashing:   auth.LightParams,
		BackupCodeHashing: auth.LightParams,
	})
	if err != nil {
		t.Fatalf("server.Open: %v", err)
	}
	t.Cleanup(func() { _ = srv.Close() })
	if _, err := srv.CreateUser(ctx, testUser, testPassword, "user"); err != nil {
		t.Fatal(err)
	}
	h := srv.Handler()
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/api/auth/me", "/api/auth/logout":
			http.Error(w, `{"detail":"Not Found"}`, http.StatusNotFound)
			return
		case "/api/auth/2fa/setup":
			body, _ := io.ReadAll(r.Body)
			var in map[string]string
			_ = json.Unmarshal(body, &in)
			if in["password"] != "" {
				t.Errorf("the wizard asked for a password although /me is absent")
			}
			r.Body = io.NopCloser(bytes.NewReader([]byte(`{"password":"` + testPassword + `"}`)))
			r.ContentLength = -1
		}
		h.ServeHTTP(w, r)
	}))
	t.Cleanup(ts.Close)
	return ts.URL
}

// TestStockCoPilot: without /me the Security tab shows what it knows, the
// wizard skips step 1 (straight to "Step 2 of 5") and logging out still
// forgets the session here.
func TestStockCoPilot(t *testing.T) {
	clock := newFakeClock()
	url := stockCoPilot(t, clock)
	env := newTestEnv(t, url, keyring.NewMemory(keyring.BackendMemory))
	tt := startTerm(t, New(env, Options{Dark: true, Now: clock.Now}))
	tt.waitFor("Username")
	tt.typeText(testUser)
	tt.enter()
	tt.typeText(testPassword)
	tt.enter()
	s := tt.waitFor("Two-factor authentication   Off")
	if strings.Contains(s, "Backup codes left") {
		t.Errorf("backup-code count shown without /me:\n%s", s)
	}
	tt.key(tea.KeyShiftTab)
	tt.waitFor("This server does not report account details.")
	tt.key(tea.KeyTab)
	tt.typeText("e")
	s = tt.waitFor("Step 2 of 5", "Scan this QR code")
	if strings.Contains(s, "Step 1 of 5") {
		t.Errorf("password step shown:\n%s", s)
	}
	tt.key(tea.KeyEscape)
	tt.waitFor("Two-factor authentication was not enabled.")
	tt.typeText("l")
	tt.waitFor("Signed out.")
	if env.Tokens.Token() != "" {
		t.Error("token still held after logging out")
	}
}

// TestClockDriftWarning: a server whose Date header runs two minutes ahead
// gets the drift note on the QR step.
func TestClockDriftWarning(t *testing.T) {
	clock := newFakeClock()
	upstream := startServer(t, clock)
	ahead := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Date", time.Now().Add(2*time.Minute).UTC().Format(http.TimeFormat))
		proxy(t, upstream, w, r)
	}))
	t.Cleanup(ahead.Close)
	env := newTestEnv(t, ahead.URL, keyring.NewMemory(keyring.BackendMemory))
	tt := startTerm(t, New(env, Options{Dark: true, Now: clock.Now}))
	tt.waitFor("Username")
	tt.typeText(testUser)
	tt.enter()
	tt.typeText(testPassword)
	tt.enter()
	tt.waitFor("Two-factor authentication   Off")
	tt.typeText("e")
	tt.waitFor("Step 1 of 5")
	tt.typeText(testPassword)
	tt.enter()
	s := tt.waitFor("Step 2 of 5", "This computer's clock is")
	if !strings.Contains(s, "behind the") {
		t.Errorf("drift direction missing:\n%s", s)
	}
}

// proxy forwards r to base and copies the answer, keeping headers already set on w.
func proxy(t *testing.T, base string, w http.ResponseWriter, r *http.Request) {
	req, err := http.NewRequestWithContext(r.Context(), r.Method, base+r.URL.RequestURI(), r.Body)
	if err != nil {
		t.Error(err)
		return
	}
	req.Header = r.Header.Clone()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Error(err)
		return
	}
	defer resp.Body.Close()
	for k, v := range resp.Header {
		if k != "Date" {
			w.Header()[k] = v
		}
	}
	w.WriteHeader(resp.StatusCode)
	_, _ = io.Copy(w, resp.Body)
}

func TestRoundDrift(t *testing.T) {
	tests := []struct {
		d    time.Duration
		want string
	}{
		{16 * time.Second, "16 s"},
		{119600 * time.Millisecond, "2 min"},
		{125 * time.Second, "2 min 5 s"},
		{3*time.Hour + 10*time.Minute, "3 h 10 min"},
	}
	for _, tc := range tests {
		if got := roundDrift(tc.d); got != tc.want {
			t.Errorf("roundDrift(%v) = %q, want %q", tc.d, got, tc.want)
		}
	}
}
