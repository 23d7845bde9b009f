package words

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/twofa/twofa/client"
	"github.com/twofa/twofa/internal/harness/hostile"
	"github.com/twofa/twofa/internal/safetext"
)

func TestThrottled(t *testing.T) {
	for _, tt := range []struct{ got, want string }{
		{Throttled(42 * time.Second), "Too many failed sign-ins — try again in 42 s."},
		{Throttled(15 * time.Minute), "Too many failed sign-ins — try again in 15 min."},
		{Throttled(0), "Too many failed sign-ins — try again later."},
		{ThrottledCountdown(41*time.Second + 100*time.Millisecond), "Too many failed sign-ins — try again in 0:42"},
	} {
		if tt.got != tt.want {
			t.Errorf("got %q, want %q", tt.got, tt.want)
		}
	}
}

func TestOthersSignedOut(t *testing.T) {
	for n, want := range map[int]string{0: "", -1: "", 1: "1 other session was signed out.", 4: "4 other sessions were signed out."} {
		if got := OthersSignedOut(n); got != want {
			t.Errorf("OthersSignedOut(%d) = %q, want %q", n, got, want)
		}
	}
}

// TestHostileSentence: a refusal whose sentence hides every sequence is
// worded as one clean line that still says what the server said.
func TestHostileSentence(t *testing.T) {
	text := hostile.Text("User is disabled")
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusBadRequest)
		_ = json.NewEncoder(w).Encode(map[string]any{"success": false, "message": text})
	}))
	defer srv.Close()
	c, err := client.New(client.Options{Server: srv.URL})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Login(context.Background(), "alice", "pw")
	got := cli.Error(err)
	if leaks := hostile.Leaks([]byte(got)); len(leaks) > 0 || !safetext.IsLine(got) {
		t.Fatalf("Error = %q leaks %v", got, leaks)
	}
	if !strings.HasPrefix(got, "The server refused: User is disabled@0@") {
		t.Fatalf("Error = %q", got)
	}
}
