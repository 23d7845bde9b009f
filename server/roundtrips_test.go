package server_test

import (
	"encoding/binary"
	"io"
	"net"
	"net/url"
	"sync/atomic"
	"testing"
	"time"

	"github.com/twofa/twofa/internal/harness/testclock"
	"github.com/twofa/twofa/internal/harness/testdb"
	"github.com/twofa/twofa/server"
	"github.com/twofa/twofa/server/servertest"
)

// TestValidateRoundTrips: on Postgres a successful /2fa/validate with a
// TOTP costs two database round trips — the read of the pending sign-in
// and the one statement that accepts the step, spends the pending token,
// issues the session and records it (store.CompleteSignIn). They are
// counted on the wire by a proxy in front of Postgres, as the Query and
// Sync messages the server's connections send.
func TestValidateRoundTrips(t *testing.T) {
	db := testdb.New(t, testdb.Postgres)
	u, err := url.Parse(db.DSN)
	if err != nil {
		t.Fatal(err)
	}
	p := countTrips(t, u.Host)
	u.Host = p.addr
	db.DSN = u.String()
	// No background sweep: its statements would be counted too.
	e := openEnv(t, db, testclock.New(servertest.Start), func(o *server.Options) { o.SweepInterval = -1 })
	us := []enrolled{e.enroll("rt1"), e.enroll("rt2"), e.enroll("rt3"), e.enroll("rt4")}
	pending := make([]string, len(us))
	for i, u := range us {
		pending[i] = e.pending(u)
	}
	var trips []int64
	for i, u := range us {
		before := p.trips.Load()
		e.do("POST", "/api/auth/2fa/validate", "", map[string]string{"temp_token": pending[i], "code": totpAt(t, u.secret, e.clk.Now())}).want(t, 200, "")
		trips = append(trips, p.trips.Load()-before)
	}
	// The first validation on a connection also prepares its statements.
	if last := trips[len(trips)-1]; last != 2 {
		t.Fatalf("round trips per validation %v; want the last to be 2", trips)
	}
}

// tripCounter is a TCP proxy to Postgres that counts round trips.
type tripCounter struct {
	addr  string
	trips atomic.Int64
}

// countTrips starts a proxy to target for the test.
func countTrips(t *testing.T, target string) *tripCounter {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	p := &tripCounter{addr: ln.Addr().String()}
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			up, err := net.DialTimeout("tcp", target, 5*time.Second)
			if err != nil {
				c.Close()
				continue
			}
			go func() { _, _ = io.Copy(c, up); c.Close() }()
			go func() { p.frontend(c, up); up.Close() }()
		}
	}()
	return p
}

// frontend copies what a client sends to Postgres, counting each Query
// ('Q') and Sync ('S') message: each is answered by a ReadyForQuery, one
// round trip. The startup message, which has no type byte, comes first.
func (p *tripCounter) frontend(from io.Reader, to io.Writer) {
	var n [4]byte
	if _, err := io.ReadFull(from, n[:]); err != nil {
		return
	}
	if _, err := to.Write(n[:]); err != nil {
		return
	}
	if _, err := io.CopyN(to, from, int64(binary.BigEndian.Uint32(n[:]))-4); err != nil {
		return
	}
	var head [5]byte
	for {
		if _, err := io.ReadFull(from, head[:]); err != nil {
			return
		}
		if head[0] == 'Q' || head[0] == 'S' {
			p.trips.Add(1)
		}
		if _, err := to.Write(head[:]); err != nil {
			return
		}
		if _, err := io.CopyN(to, from, int64(binary.BigEndian.Uint32(head[1:]))-4); err != nil {
			return
		}
	}
}
