package server_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/twofa/twofa/server"
	"github.com/twofa/twofa/server/auth"
	"github.com/twofa/twofa/server/servertest"
)

// signIn signs a user without 2FA in and returns the session token.
func (e *env) signIn(name, pass string) string {
	e.t.Helper()
	return e.login(name, pass).want(e.t, 200, "").str("access_token")
}

// live reports whether token still opens /me.
func (e *env) live(token string) bool {
	e.t.Helper()
	return e.do("GET", "/api/auth/me", token, nil).status == 200
}

// TestRefreshReplacesTheToken: a refresh gives a token that works and
// kills the one it replaced; presenting the replaced one again (only a
// copy would) ends the whole family, the new token too, and is audited.
// Logging out ends the family; another sign-in of the account lives on.
func TestRefreshReplacesTheToken(t *testing.T) {
	forEachEnv(t, func(t *testing.T, e *env) {
		e.user("otto", "otto password", "user")
		a := e.signIn("otto", "otto password")
		other := e.signIn("otto", "otto password")
		fresh := e.do("GET", "/api/auth/refresh", a, nil).want(t, 200, "").str("access_token")
		if !e.live(fresh) {
			t.Fatal("the refreshed token does not work")
		}
		r := e.do("GET", "/api/auth/refresh", a, nil).want(t, 401, "unauthorized")
		if r.str("detail") != "Could not validate credentials: this session token had been replaced by a refresh and was used again, so the session has been ended everywhere. Sign in again." {
			t.Errorf("detail %q", r.str("detail"))
		}
		if e.live(fresh) || e.live(a) {
			t.Fatal("the family outlived the reuse of a replaced token")
		}
		if n := countEvents(t, e, "otto", server.EventSessionReused); n != 1 {
			t.Fatalf("%d session_reuse_detected events, want 1", n)
		}

		// Logout ends the session and what was refreshed from it, nothing else.
		b1 := e.signIn("otto", "otto password")
		b2 := e.do("GET", "/api/auth/refresh", b1, nil).want(t, 200, "").str("access_token")
		e.do("POST", "/api/auth/logout", b2, nil).want(t, 204, "")
		if e.live(b2) || e.live(b1) {
			t.Fatal("a token of the logged-out family still works")
		}
		if !e.live(other) {
			t.Fatal("logout ended another sign-in of the account")
		}
		if n := countEvents(t, e, "otto", server.EventSessionReused); n != 1 {
			t.Fatalf("the logged-out family's replaced token counted as a reuse: %d events", n)
		}
	})
}

// raceRefresh: 50 concurrent refreshes of one token, spread over envs →
// exactly one new token is issued, every other answer is 401, and (a
// second refresh of one token is a copy at work) no token of the family
// works afterwards.
func raceRefresh(t *testing.T, envs []*env) {
	e := envs[0]
	e.user("race-refresh", "race password", "user")
	tok := e.signIn("race-refresh", "race password")
	var mu sync.Mutex
	var issued []string
	counts := statusCounts(t, envs, 50, func(i int, e *env) resp {
		r := e.do("GET", "/api/auth/refresh", tok, nil)
		if r.status == 200 {
			mu.Lock()
			issued = append(issued, r.str("access_token"))
			mu.Unlock()
		}
		return r
	})
	if counts["200 "] != 1 || counts["401 unauthorized"] != 49 {
		t.Fatalf("answers %v: want exactly one refresh and 49 refusals", counts)
	}
	if e.live(tok) || e.live(issued[0]) {
		t.Fatal("a token of the family still works after one token was refreshed twice")
	}
}

// TestConcurrentRefresh runs the refresh race on each backend.
func TestConcurrentRefresh(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		raceRefresh(t, []*env{newEnv(t, b)})
	})
}

// TestRefreshRaceTwoServers: the refresh race split between two servers
// on one Postgres.
func TestRefreshRaceTwoServers(t *testing.T) {
	raceRefresh(t, twoServers(t, nil))
}

// TestSessionMaxAge: refreshing keeps a session alive no longer than
// SessionMaxAge after its sign-in.
func TestSessionMaxAge(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		e := startEnv(t, servertest.Options{Backend: b}, func(o *server.Options) {
			o.AccessTTL = time.Hour
			o.SessionMaxAge = 3 * time.Hour
		})
		e.user("pia", "pia password", "user")
		tok := e.signIn("pia", "pia password")
		for i := 0; i < 3; i++ { // at 50, 100, 150 minutes
			e.clk.Advance(50 * time.Minute)
			tok = e.do("GET", "/api/auth/refresh", tok, nil).want(t, 200, "").str("access_token")
		}
		e.clk.Advance(25 * time.Minute) // 175 minutes: the last token would live to 210
		if !e.live(tok) {
			t.Fatal("session ended before its maximum age")
		}
		tok = e.do("GET", "/api/auth/refresh", tok, nil).want(t, 200, "").str("access_token")
		e.clk.Advance(5*time.Minute + time.Second) // 3 hours and a second after the sign-in
		e.do("GET", "/api/auth/me", tok, nil).want(t, 401, "unauthorized")
	})
}

// TestSecondFactorChangesEndOtherSessions: enabling, regenerating and
// disabling 2FA, and an admin reset, end every other session and pending
// sign-in of the account, say how many, and keep the caller's session
// (and, for a reset, the admin's own when admins reset themselves).
func TestSecondFactorChangesEndOtherSessions(t *testing.T) {
	forEachEnv(t, func(t *testing.T, e *env) {
		e.user("quinn", "quinn password", "user")
		me := e.signIn("quinn", "quinn password")
		thief := e.signIn("quinn", "quinn password")
		laptop := e.signIn("quinn", "quinn password")
		laptop = e.do("GET", "/api/auth/refresh", laptop, nil).want(t, 200, "").str("access_token")
		setup := e.do("POST", "/api/auth/2fa/setup", me, map[string]string{"password": "quinn password"}).want(t, 200, "")
		secret := setup.str("secret")
		r := e.do("POST", "/api/auth/2fa/verify-setup", me, map[string]string{"code": totpAt(t, secret, e.clk.Now())}).want(t, 200, "")
		if r.body["other_sessions_revoked"] != float64(2) || r.str("message") != "Two-factor authentication is now enabled. 2 other sessions were signed out." {
			t.Fatalf("verify-setup answer %s", r.raw)
		}
		if !e.live(me) || e.live(thief) || e.live(laptop) {
			t.Fatal("after enabling 2FA: the caller's session must stay and only it")
		}

		u := enrolled{name: "quinn", pass: "quinn password", secret: secret}
		session := func() string {
			e.clk.Advance(30 * time.Second)
			return e.do("POST", "/api/auth/2fa/validate", "", map[string]string{"temp_token": e.pending(u), "code": totpAt(t, secret, e.clk.Now())}).want(t, 200, "").str("access_token")
		}
		other, half := session(), e.pending(u)
		e.clk.Advance(30 * time.Second)
		r = e.do("POST", "/api/auth/2fa/backup-codes/regenerate", me, map[string]string{"code": totpAt(t, secret, e.clk.Now())}).want(t, 200, "")
		if r.body["other_sessions_revoked"] != float64(1) || len(r.body["backup_codes"].([]any)) != auth.BackupCodeCount {
			t.Fatalf("regenerate answer %s", r.raw)
		}
		e.clk.Advance(30 * time.Second)
		e.do("POST", "/api/auth/2fa/validate", "", map[string]string{"temp_token": half, "code": totpAt(t, secret, e.clk.Now())}).want(t, 401, "pending_expired")
		if !e.live(me) || e.live(other) {
			t.Fatal("after regenerating: the caller's session must stay and only it")
		}

		other = session()
		e.clk.Advance(30 * time.Second)
		r = e.do("DELETE", "/api/auth/2fa/disable", me, map[string]string{"code": totpAt(t, secret, e.clk.Now())}).want(t, 200, "")
		if r.body["other_sessions_revoked"] != float64(1) || r.str("message") != "Two-factor authentication has been disabled. 1 other session was signed out." {
			t.Fatalf("disable answer %s", r.raw)
		}
		if !e.live(me) || e.live(other) {
			t.Fatal("after disabling: the caller's session must stay and only it")
		}

		// An admin resetting their own 2FA keeps their session; a user's reset ends all of theirs.
		e.user("root", "root password", "admin")
		root := e.signIn("root", "root password")
		rootOther := e.signIn("root", "root password")
		e.do("DELETE", "/api/auth/security/users/1/totp", me, nil).want(t, 403, "forbidden")
		r = e.do("DELETE", "/api/auth/security/users/2/totp", root, nil).want(t, 200, "")
		if r.body["other_sessions_revoked"] != float64(1) || !e.live(root) || e.live(rootOther) {
			t.Fatalf("admin self-reset: %s; root live %v, root's other session live %v", r.raw, e.live(root), e.live(rootOther))
		}
		r = e.do("DELETE", "/api/auth/security/users/1/totp", root, nil).want(t, 200, "")
		if r.body["other_sessions_revoked"] != float64(1) || e.live(me) || !e.live(root) {
			t.Fatalf("admin reset of a user: %s", r.raw)
		}
	})
}

// TestSetPasswordEndsEverySession: `twofa admin set-password` ends every
// session of that account, says how many, and no other account's.
func TestSetPasswordEndsEverySession(t *testing.T) {
	forEachEnv(t, func(t *testing.T, e *env) {
		e.user("rita", "rita password", "user")
		e.user("sam", "sam password", "user")
		rita := []string{e.signIn("rita", "rita password"), e.signIn("rita", "rita password")}
		sam := e.signIn("sam", "sam password")
		a, err := server.OpenAdmin(context.Background(), server.AdminOptions{DSN: e.db.DSN, Now: e.clk.Now, PasswordHashing: auth.LightParams, Actor: "test"})
		if err != nil {
			t.Fatal(err)
		}
		defer a.Close()
		n, err := a.SetPassword(context.Background(), "rita", "a brand new password")
		if err != nil || n != 2 {
			t.Fatalf("SetPassword: %d sessions, %v; want 2", n, err)
		}
		if e.live(rita[0]) || e.live(rita[1]) || !e.live(sam) {
			t.Fatal("set-password must end rita's sessions and only hers")
		}
		e.login("rita", "rita password").want(t, 401, "invalid_credentials")
		e.signIn("rita", "a brand new password")
	})
}
