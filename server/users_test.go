package server_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/twofa/twofa/internal/wire"
	"github.com/twofa/twofa/server"
)

// adminEnv is a server with an admin signed in and a colleague, olga,
// with 2FA on.
type adminEnv struct {
	*env
	boss string // the admin's session token
	olga enrolled
}

func newAdminEnv(t *testing.T, b backend) adminEnv {
	e := newEnv(t, b)
	e.user("root", "correct horse root", "admin")
	olga := e.enroll("olga")
	boss := e.login("root", "correct horse root").want(t, 200, "").str("access_token")
	return adminEnv{env: e, boss: boss, olga: olga}
}

// lock fails olga's second factor until her account is locked.
func (a adminEnv) lock(t *testing.T) {
	t.Helper()
	p := a.pending(a.olga)
	for i := 0; i < server.MaxFailures; i++ {
		a.do("POST", "/api/auth/2fa/validate", "", map[string]string{"temp_token": p, "code": "000000"})
	}
	a.do("POST", "/api/auth/2fa/validate", "", map[string]string{"temp_token": p, "code": "000000"}).want(t, http.StatusTooManyRequests, wire.LockedOut)
}

// userOf finds name in a users answer.
func userOf(t *testing.T, r resp, name string) map[string]any {
	t.Helper()
	list, _ := r.body["users"].([]any)
	for _, it := range list {
		if m, _ := it.(map[string]any); m["username"] == name {
			return m
		}
	}
	t.Fatalf("no user %q in %s", name, r.raw)
	return nil
}

func TestAdminUsersList(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		a := newAdminEnv(t, b)
		a.user("olaf", "correct horse olaf", "user")
		a.lock(t)
		r := a.do("GET", "/api/auth/users?search=OL", a.boss, nil).want(t, 200, "")
		if r.body["success"] != true || len(r.body["users"].([]any)) != 2 {
			t.Fatalf("search OL: want olga and olaf, got %s", r.raw)
		}
		olga := userOf(t, r, "olga")
		if olga["role_name"] != "user" || olga["totp_enabled"] != true || olga["backup_codes_remaining"] != float64(10) {
			t.Errorf("olga: %v", olga)
		}
		if olga["last_login_at"] == nil || olga["locked_until"] == nil {
			t.Errorf("olga: want last_login_at and locked_until, got %v", olga)
		}
		if olaf := userOf(t, r, "olaf"); olaf["totp_enabled"] != false || olaf["last_login_at"] != nil || olaf["locked_until"] != nil {
			t.Errorf("olaf never signed in: %v", olaf)
		}
		if r := a.do("GET", "/api/auth/users?limit=1", a.boss, nil).want(t, 200, ""); len(r.body["users"].([]any)) != 1 {
			t.Errorf("limit=1: %s", r.raw)
		}
		a.clk.Advance(server.LockDuration)
		if r := a.do("GET", "/api/auth/users?search=olga", a.boss, nil); userOf(t, r, "olga")["locked_until"] != nil {
			t.Errorf("an expired lock is listed: %s", r.raw)
		}
	})
}

func TestAdminRoutesRefuse(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		a := newAdminEnv(t, b)
		id := itoa(a.olga.id)
		cases := []struct {
			name, method, path, token string
			status                    int
			code                      string
		}{
			{"list, no session", "GET", "/api/auth/users", "", 401, wire.Unauthorized},
			{"list, not an admin", "GET", "/api/auth/users", a.olga.session, 403, wire.Forbidden},
			{"customers, not an admin", "GET", "/api/auth/security/customers/00001/users", a.olga.session, 403, wire.Forbidden},
			{"unlock, not an admin", "POST", "/api/auth/security/users/" + id + "/unlock", a.olga.session, 403, wire.Forbidden},
			{"events, not an admin", "GET", "/api/auth/security/users/" + id + "/events", a.olga.session, 403, wire.Forbidden},
			{"reset, not an admin", "DELETE", "/api/auth/security/users/" + id + "/totp", a.olga.session, 403, wire.Forbidden},
			{"unlock, unknown user", "POST", "/api/auth/security/users/999/unlock", a.boss, 404, wire.NotFound},
			{"events, unknown user", "GET", "/api/auth/security/users/999/events", a.boss, 404, wire.NotFound},
			{"events, bad limit", "GET", "/api/auth/security/users/" + id + "/events?limit=0", a.boss, 400, wire.InvalidRequest},
			{"list, bad limit", "GET", "/api/auth/users?limit=x", a.boss, 400, wire.InvalidRequest},
			{"unlock, bad id", "POST", "/api/auth/security/users/x/unlock", a.boss, 400, wire.InvalidRequest},
			{"customers: none here", "GET", "/api/auth/security/customers/00001/users", a.boss, 404, wire.NotFound},
			{"unlock by GET", "GET", "/api/auth/security/users/" + id + "/unlock", a.boss, 405, wire.MethodNotAllowed},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				a.do(c.method, c.path, c.token, nil).want(t, c.status, c.code)
			})
		}
	})
}

func TestAdminUnlockAndEvents(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		a := newAdminEnv(t, b)
		a.lock(t)
		r := a.do("POST", "/api/auth/security/users/"+itoa(a.olga.id)+"/unlock", a.boss, nil).want(t, 200, "")
		if r.body["success"] != true || !strings.Contains(r.str("message"), "olga") {
			t.Fatalf("unlock: %s", r.raw)
		}
		// The right code works at once.
		p := a.pending(a.olga)
		a.do("POST", "/api/auth/2fa/validate", "", map[string]string{"temp_token": p, "code": totpAt(t, a.olga.secret, a.clk.Now())}).want(t, 200, "")
		ev := a.do("GET", "/api/auth/security/users/"+itoa(a.olga.id)+"/events?limit=3", a.boss, nil).want(t, 200, "")
		list := ev.body["events"].([]any)
		if len(list) != 3 {
			t.Fatalf("limit=3: %s", ev.raw)
		}
		names := []string{}
		for _, it := range list {
			names = append(names, it.(map[string]any)["event"].(string))
		}
		if names[0] != server.EventSignInOK || names[2] != server.EventUnlock {
			t.Errorf("newest first: got %v", names)
		}
		unlock := list[2].(map[string]any)
		if !strings.Contains(unlock["detail"].(string), "by admin root") {
			t.Errorf("unlock event does not name the admin: %v", unlock)
		}
	})
}

func TestAdminResetAudited(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		a := newAdminEnv(t, b)
		a.do("DELETE", "/api/auth/security/users/"+itoa(a.olga.id)+"/totp", a.boss, nil).want(t, 200, "")
		ev, err := a.srv.Store().Audit.List(context.Background(), a.srv.Store().DB(), "olga", 1)
		if err != nil {
			t.Fatal(err)
		}
		if len(ev) != 1 || ev[0].Event != server.EventAdminReset || !strings.Contains(ev[0].Detail, "by admin root") {
			t.Fatalf("reset event: %+v", ev)
		}
		r := a.do("GET", "/api/auth/users?search=olga", a.boss, nil)
		if userOf(t, r, "olga")["totp_enabled"] != false {
			t.Errorf("after reset: %s", r.raw)
		}
		// She enrols again from scratch.
		a.clk.Advance(30 * time.Second)
		s := a.login("olga", a.olga.pass).want(t, 200, "")
		if s.body["requires_2fa"] == true {
			t.Fatalf("sign-in after reset still wants 2FA: %s", s.raw)
		}
	})
}
