package session_test

import (
	"testing"

	"github.com/twofa/twofa/internal/harness/fakecopilot"
)

// TestAccountAdmin: an account is an administrator by /me's role at the
// reference server and by its token's scope at CoPilot; an analyst or a
// user is not.
func TestAccountAdmin(t *testing.T) {
	ref := reference(t)
	ref.CreateUser(t, "root", "root-password-1", "admin")
	fake, cop := copilot(t)
	fake.AddUser("rita", "rita-pw", fakecopilot.RoleAdmin)
	cases := []struct {
		name, url, user, pass string
		admin                 bool
	}{
		{"reference admin", ref.URL, "root", "root-password-1", true},
		{"reference user", ref.URL, "alice", "alice-password-1", false},
		{"CoPilot admin", cop, "rita", "rita-pw", true},
		{"CoPilot analyst", cop, "bob", "bob-pw", false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			m, _ := manager(t, c.url)
			acct, err := m.Account(ctx, signIn(t, m, c.user, c.pass))
			if err != nil || acct.Admin != c.admin {
				t.Fatalf("Account = %+v, %v; want Admin %v", acct, err, c.admin)
			}
		})
	}
}
