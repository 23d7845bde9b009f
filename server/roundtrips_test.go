package server_test

import (
	"bytes"
	"encoding/binary"
	"io"
	"net"
	"net/url"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/twofa/twofa/internal/harness/testclock"
	"github.com/twofa/twofa/internal/harness/testdb"
	"github.com/twofa/twofa/server"
	"github.com/twofa/twofa/server/servertest"
)

// TestValidateRoundTrips: on Postgres a successful /2fa/validate with a
// TOTP costs one database round trip when this process issued the pending
// sign-in — the one statement that checks the token, lock, step and
// secret, accepts the step, spends the pending token, issues the session
// and records it (store.TryCompleteSignIn) — and two when another process
// did: the read of the pending sign-in first. They are counted on the wire
// by a proxy in front of Postgres, as the Query and Sync messages the
// server's connections send.
func TestValidateRoundTrips(t *testing.T) {
	p, db := wireDB(t)
	clk := testclock.New(servertest.Start)
	// No background sweep: its statements would be counted too.
	noSweep := func(o *server.Options) { o.SweepInterval = -1 }
	issuer, other := openEnv(t, db, clk, noSweep), openEnv(t, db, clk, noSweep)
	tests := []struct {
		name     string
		user     string
		validate *env
		want     int
	}{
		{"issued by this process", "here", issuer, 1},
		{"issued by another process", "there", other, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var trips []int
			for i := range 4 {
				u := issuer.enroll(tt.user + string(rune('a'+i)))
				pending := issuer.pending(u)
				before := len(p.log())
				tt.validate.do("POST", "/api/auth/2fa/validate", "", map[string]string{"temp_token": pending, "code": totpAt(t, u.secret, clk.Now())}).want(t, 200, "")
				trips = append(trips, countSyncs(p.log()[before:]))
			}
			// The first validation on a connection also prepares its statements.
			if last := trips[len(trips)-1]; last != tt.want {
				t.Fatalf("round trips per validation %v; want the last to be %d", trips, tt.want)
			}
		})
	}
}

// TestLockedAnswerCostsTheSameWhateverTheCode: while an account is
// locked, a right code and a wrong one at a pending sign-in send Postgres
// the same statements in the same order, so the time of the lockout
// answer cannot tell a right code from a wrong one; whether this process
// issued the sign-in or another did.
func TestLockedAnswerCostsTheSameWhateverTheCode(t *testing.T) {
	p, db := wireDB(t)
	clk := testclock.New(servertest.Start)
	noSweep := func(o *server.Options) { o.SweepInterval = -1 }
	issuer, other := openEnv(t, db, clk, noSweep), openEnv(t, db, clk, noSweep)
	u := issuer.enroll("locked")
	for range 5 {
		issuer.do("POST", "/api/auth/2fa/validate", "", map[string]string{"temp_token": issuer.pending(u), "code": "000000"}).want(t, 401, "invalid_code")
	}
	for _, at := range []*env{issuer, other} {
		var seen [][]string
		// The first refusal of a lock, which is audited, comes before all.
		for _, code := range []string{"000000", totpAt(t, u.secret, clk.Now()), "000000", totpAt(t, u.secret, clk.Now()), "000000"} {
			pending := issuer.pending(u)
			before := len(p.log())
			at.do("POST", "/api/auth/2fa/validate", "", map[string]string{"temp_token": pending, "code": code}).want(t, 429, "locked_out")
			seen = append(seen, statements(p.log()[before:]))
		}
		for i := 2; i < len(seen); i++ {
			if !slices.Equal(seen[i], seen[1]) {
				t.Fatalf("locked: the statements for a %s code %v differ from those for a %s code %v",
					[]string{"wrong", "right"}[i%2], seen[i], "right", seen[1])
			}
		}
	}
}

// wireDB is a fresh Postgres database reached through a wire recorder.
func wireDB(t *testing.T) (*wireLog, testdb.Database) {
	t.Helper()
	db := testdb.New(t, testdb.Postgres)
	u, err := url.Parse(db.DSN)
	if err != nil {
		t.Fatal(err)
	}
	p := recordWire(t, u.Host)
	u.Host = p.addr
	db.DSN = u.String()
	return p, db
}

// statements is the statements a wire log ran, in order: its Queries and
// Binds, without the round trips that prepared them on a connection.
func statements(log []string) []string {
	return slices.DeleteFunc(slices.Clone(log), func(m string) bool { return m == "Sync" })
}

// countSyncs counts the round trips in a wire log: each Query or Sync.
func countSyncs(log []string) int {
	n := 0
	for _, m := range log {
		if m == "Sync" || m[0] == 'Q' {
			n++
		}
	}
	return n
}

// wireLog is a TCP proxy to Postgres that records what clients send: each
// Query with its text, each Bind with its prepared statement's name and
// each Sync, in the order Postgres receives them.
type wireLog struct {
	addr string
	mu   sync.Mutex
	msgs []string
}

// log is a copy of the messages recorded so far.
func (p *wireLog) log() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return slices.Clone(p.msgs)
}

// recordWire starts a recording proxy to target for the test.
func recordWire(t *testing.T, target string) *wireLog {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	p := &wireLog{addr: ln.Addr().String()}
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

// frontend copies what a client sends to Postgres, recording each message
// of interest. The startup message, which has no type byte, comes first.
func (p *wireLog) frontend(from io.Reader, to io.Writer) {
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
		body := make([]byte, int(binary.BigEndian.Uint32(head[1:]))-4)
		if _, err := io.ReadFull(from, body); err != nil {
			return
		}
		if m := message(head[0], body); m != "" {
			p.mu.Lock()
			p.msgs = append(p.msgs, m)
			p.mu.Unlock()
		}
		if _, err := to.Write(append(head[:], body...)); err != nil {
			return
		}
	}
}

// message names a frontend message of type typ: "Q " and its text, "B "
// and its statement's name, "Sync"; "" for the others.
func message(typ byte, body []byte) string {
	field := func(i int) string {
		for ; i > 0; i-- {
			body = body[bytes.IndexByte(body, 0)+1:]
		}
		return string(body[:bytes.IndexByte(body, 0)])
	}
	switch typ {
	case 'Q':
		return "Q " + field(0)
	case 'B':
		return "B " + field(1)
	case 'S':
		return "Sync"
	}
	return ""
}
