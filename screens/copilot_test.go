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

	tea "github.com/charmbracelet/bubbletea"
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
	env := newTestEnv(t, url, &memStore{})
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
