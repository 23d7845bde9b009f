package client

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/twofa/twofa/internal/harness/fakecopilot"
	"github.com/twofa/twofa/internal/wire"
	"github.com/twofa/twofa/server/servertest"
)

// signIn signs user in on a new client of url and returns it.
func signIn(t *testing.T, url, user, pass string) *Client {
	t.Helper()
	c, tokens := newAgainst(t, url)
	lr, err := c.Login(context.Background(), user, pass)
	if err != nil {
		t.Fatal(err)
	}
	tokens.Set(lr.AccessToken)
	return c
}

func TestAdminCallsReference(t *testing.T) {
	ctx := context.Background()
	e := servertest.New(t, servertest.Options{})
	e.CreateUser(t, "root", "root-password-1", "admin")
	olga := e.CreateUser(t, "olga", "olga-password-1", "user")
	boss := signIn(t, e.URL, "root", "root-password-1")
	if err := boss.ProbeAdminActions(ctx); err != nil {
		t.Fatal(err)
	}
	if on, known := boss.Offers(ExtUnlock); !on || !known {
		t.Errorf("unlock: offered %v known %v", on, known)
	}
	if on, known := boss.Offers(ExtTempPassword); on || !known {
		t.Errorf("send-temp-password: offered %v known %v; the reference server has none", on, known)
	}
	signIn(t, e.URL, "olga", "olga-password-1")
	users, err := boss.ListUsers(ctx, "LG", 10)
	if err != nil || len(users) != 1 {
		t.Fatalf("ListUsers = %+v, %v", users, err)
	}
	u := users[0]
	if u.ID != olga || u.RoleName != "user" || u.TOTPEnabled == nil || *u.TOTPEnabled || u.BackupCodesRemaining == nil ||
		u.LastLoginAt == nil || !u.LastLoginAt.Equal(servertest.Start) || u.LockedUntil != nil {
		t.Errorf("olga = %+v", u)
	}
	if _, err := boss.AdminUnlock(ctx, olga); err != nil {
		t.Fatal(err)
	}
	events, err := boss.AdminEvents(ctx, olga, 5)
	if err != nil || len(events) != 2 || events[0].Event != "admin_unlock" || events[0].At.IsZero() {
		t.Fatalf("AdminEvents = %+v, %v", events, err)
	}
	_, err = boss.AdminSendTempPassword(ctx, olga)
	if !errors.Is(err, ErrNotOffered) {
		t.Errorf("send-temp-password: %v, want ErrNotOffered", err)
	}
	_, err = signIn(t, e.URL, "olga", "olga-password-1").ListUsers(ctx, "", 0)
	wantCode(t, err, wire.Forbidden, 403)
}

func TestAdminCallsCoPilot(t *testing.T) {
	ctx := context.Background()
	e := newCoPilot(t)
	e.fake.AddUser("root", "root-password-1", fakecopilot.RoleAdmin)
	olga := e.fake.AddUser("olga", "olga-password-1", fakecopilot.RoleCustomerUser)
	e.fake.SetCustomer("olga", "00002")
	e.fake.SetEmail("olga", "olga@example.com")
	e.fake.AddUser("ann", "ann-password-1", fakecopilot.RoleAnalyst)
	boss := signIn(t, e.url, "root", "root-password-1")
	if got := TokenScopes(mustToken(t, e.url, "root", "root-password-1")); len(got) != 1 || got[0] != "admin" {
		t.Errorf("TokenScopes = %v", got)
	}
	if err := boss.ProbeAdminActions(ctx); err != nil {
		t.Fatal(err)
	}
	if on, known := boss.Offers(ExtUnlock); on || !known {
		t.Errorf("unlock: offered %v known %v; CoPilot has none", on, known)
	}
	if on, known := boss.Offers(ExtTempPassword); !on || !known {
		t.Errorf("send-temp-password: offered %v known %v", on, known)
	}
	users, err := boss.ListUsers(ctx, "olg", 0)
	if err != nil || len(users) != 1 || users[0].ID != olga || users[0].TOTPEnabled != nil || users[0].Email == nil {
		t.Fatalf("ListUsers = %+v, %v; want olga without 2FA state", users, err)
	}
	c := NewTokenHolder()
	portal, _ := New(Options{Server: e.url, Tokens: c})
	if _, err := portal.LoginAt(ctx, PortalCustomer, "olga", "olga-password-1"); err != nil {
		t.Fatal(err)
	}
	e.clk.Advance(time.Minute)
	cust, err := boss.CustomerUsers(ctx, "00002")
	if err != nil || len(cust) != 1 || cust[0].TOTPEnabled == nil || *cust[0].TOTPEnabled || cust[0].LastLoginAt == nil ||
		!cust[0].LastLoginAt.Equal(e.clk.Now().Add(-time.Minute)) {
		t.Fatalf("CustomerUsers = %+v, %v", cust, err)
	}
	if _, err := boss.AdminSendTempPassword(ctx, olga); err != nil || e.fake.TempPasswordsSent("olga") != 1 {
		t.Fatalf("send-temp-password: %v, sent %d", err, e.fake.TempPasswordsSent("olga"))
	}
	if _, err := boss.AdminUnlock(ctx, olga); !errors.Is(err, ErrNotOffered) {
		t.Errorf("unlock: %v, want ErrNotOffered", err)
	}
	if _, err := boss.AdminEvents(ctx, olga, 5); !errors.Is(err, ErrNotOffered) {
		t.Errorf("events: %v, want ErrNotOffered", err)
	}
	err = boss.AdminResetTOTP(ctx, 99)
	wantSentence(t, err, "", 404, "User 99 not found")
	analyst := signIn(t, e.url, "ann", "ann-password-1")
	if _, err := analyst.ListUsers(ctx, "", 0); err != nil {
		t.Errorf("an analyst lists users at CoPilot: %v", err)
	}
	_, err = analyst.AdminSendTempPassword(ctx, olga)
	wantCode(t, err, wire.Forbidden, 403)
}

// mustToken signs user in and returns the session token.
func mustToken(t *testing.T, url, user, pass string) string {
	t.Helper()
	c, _ := newAgainst(t, url)
	lr, err := c.Login(context.Background(), user, pass)
	if err != nil {
		t.Fatal(err)
	}
	return lr.AccessToken
}

func TestStamp(t *testing.T) {
	cases := []struct {
		in   string
		want time.Time
		err  bool
	}{
		{`"2030-01-02T03:04:05Z"`, time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC), false},
		{`"2030-01-02T04:04:05+01:00"`, time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC), false},
		{`"2030-01-02T03:04:05.123456"`, time.Date(2030, 1, 2, 3, 4, 5, 123456000, time.UTC), false},
		{`"2030-01-02T03:04:05"`, time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC), false},
		{`null`, time.Time{}, false},
		{`"yesterday"`, time.Time{}, true},
		{`5`, time.Time{}, true},
	}
	for _, c := range cases {
		var s Stamp
		err := s.UnmarshalJSON([]byte(c.in))
		if (err != nil) != c.err || !s.Equal(c.want) {
			t.Errorf("%s: %v, %v; want %v, error %v", c.in, s.Time, err, c.want, c.err)
		}
	}
}
