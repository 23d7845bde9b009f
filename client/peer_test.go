package client

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"
)

// TestForPeerOwnClockAndAddress: each ForPeer copy names its person's
// address and learns the server's clock from its own requests only; the
// client it came from and its other copies are not changed by them.
func TestForPeerOwnClockAndAddress(t *testing.T) {
	var mu sync.Mutex
	var seen []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		seen = append(seen, r.Header.Get("X-Forwarded-For"))
		mu.Unlock()
		w.Header().Set("Date", time.Now().Add(time.Hour).UTC().Format(http.TimeFormat))
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"status":"ok","version":"x"}`))
	}))
	defer srv.Close()
	base, _ := newAgainst(t, srv.URL)
	alice, bob := base.ForPeer("192.0.2.1"), base.ForPeer("2001:db8::2")
	if _, err := alice.Health(context.Background()); err != nil {
		t.Fatal(err)
	}
	if k := alice.Clock(); !k.Known || !k.Drifted() {
		t.Fatalf("alice's clock = %+v, want the hour she saw", k)
	}
	if k := bob.Clock(); k.Known {
		t.Fatalf("bob's clock = %+v, learnt from alice's request", k)
	}
	if k := base.Clock(); k.Known {
		t.Fatalf("the base client's clock = %+v, learnt from a copy's request", k)
	}
	if _, err := bob.Health(context.Background()); err != nil {
		t.Fatal(err)
	}
	if _, err := base.Health(context.Background()); err != nil {
		t.Fatal(err)
	}
	want := []string{"192.0.2.1", "2001:db8::2", ""}
	mu.Lock()
	defer mu.Unlock()
	for i, w := range want {
		if i >= len(seen) || seen[i] != w {
			t.Fatalf("X-Forwarded-For seen = %q, want %q", seen, want)
		}
	}
}

// roundTripFunc is an http.RoundTripper made of a function.
type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// TestTransportOption: with Options.Transport every request goes through
// it, to the URL of Server.
func TestTransportOption(t *testing.T) {
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"status":"ok","version":"inproc"}`))
	})
	var urls []string
	rt := roundTripFunc(func(r *http.Request) (*http.Response, error) {
		urls = append(urls, r.URL.String())
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, r)
		return rec.Result(), nil
	})
	c, err := New(Options{Server: "http://127.0.0.1:1", Transport: rt})
	if err != nil {
		t.Fatal(err)
	}
	hl, err := c.Health(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if hl.Version != "inproc" || len(urls) != 1 || urls[0] != "http://127.0.0.1:1/api/health" {
		t.Fatalf("health = %+v via %q", hl, urls)
	}
}
