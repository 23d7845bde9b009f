package screens

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/twofa/twofa/keyring"
)

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
	env := newTestEnv(t, ahead.URL, keyring.NewMemory(keyring.BackendMemory), nil)
	tt := startTerm(t, New(env, testOptions(clock.Now)))
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
