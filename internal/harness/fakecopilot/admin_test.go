package fakecopilot_test

import (
	"testing"

	"github.com/twofa/twofa/internal/harness/fakecopilot"
)

// TestAdminRoutes holds the admin routes to api.md's words: the users list
// {"users": [{"id", "username", "email", "role_name"}], "success",
// "message"} with search and limit, the customer's list with role_id,
// last_login_at and totp_enabled, send-temp-password answering
// {"success", "message"}, 404 "User N not found", and CoPilot's 403 for
// a scope without the route.
func TestAdminRoutes(t *testing.T) {
	e := newEnv(t)
	e.srv.AddUser("root", "root-pw", fakecopilot.RoleAdmin)
	e.srv.AddUser("ann", "ann-pw", fakecopilot.RoleAnalyst)
	e.srv.AddUser("carol", "carol-pw", fakecopilot.RoleCustomerUser)
	e.srv.SetCustomer("carol", "00002")
	e.srv.SetEmail("carol", "carol@example.com")
	root := e.login("/api/auth/token", "root", "root-pw").str("access_token")
	ann := e.login("/api/auth/token", "ann", "ann-pw").str("access_token")

	list := e.do("GET", "/api/auth/users?search=AR&limit=5", root, "", "")
	users, _ := list.body["users"].([]any)
	if list.status != 200 || list.body["success"] != true || len(users) != 1 {
		t.Fatalf("users?search=AR: %d %v", list.status, list.body)
	}
	carol := users[0].(map[string]any)
	if carol["username"] != "carol" || carol["email"] != "carol@example.com" || carol["role_name"] != "customer_user" || len(carol) != 4 {
		t.Errorf("a user of /api/auth/users: %v; want id, username, email, role_name only", carol)
	}
	if r := e.do("GET", "/api/auth/users?limit=1", root, "", ""); len(r.body["users"].([]any)) != 1 {
		t.Errorf("limit=1: %v", r.body)
	}

	cust := e.do("GET", "/api/auth/security/customers/00002/users", ann, "", "")
	cu, _ := cust.body["users"].([]any)
	if cust.status != 200 || len(cu) != 1 {
		t.Fatalf("customer users: %d %v", cust.status, cust.body)
	}
	c := cu[0].(map[string]any)
	for _, k := range []string{"id", "username", "email", "role_id", "role_name", "last_login_at", "totp_enabled"} {
		if _, ok := c[k]; !ok {
			t.Errorf("customer user has no %q: %v", k, c)
		}
	}
	if c["last_login_at"] != nil || c["totp_enabled"] != false {
		t.Errorf("carol never signed in and has no 2FA: %v", c)
	}
	e.login("/api/auth/token/customer-portal", "carol", "carol-pw")
	c = e.do("GET", "/api/auth/security/customers/00002/users", root, "", "").body["users"].([]any)[0].(map[string]any)
	if c["last_login_at"] != "2030-01-02T10:00:05.000000" {
		t.Errorf("last_login_at after a sign-in: %v", c["last_login_at"])
	}

	sent := e.do("POST", "/api/auth/security/users/3/send-temp-password", root, "", "")
	if sent.status != 200 || sent.body["success"] != true || sent.str("message") == "" || e.srv.TempPasswordsSent("carol") != 1 {
		t.Fatalf("send-temp-password: %d %v", sent.status, sent.body)
	}
	e.do("POST", "/api/auth/security/users/9/send-temp-password", root, "", "").refused(t, 404, "User 9 not found")
	e.do("POST", "/api/auth/security/users/3/send-temp-password", ann, "", "").refused(t, 403, "Insufficient permissions. Required one of: admin")
	e.do("GET", "/api/auth/users", "", "", "").refused(t, 401, "Not authenticated")
	if r := e.do("GET", "/api/auth/security/users/3/send-temp-password", root, "", ""); r.status != 405 || r.str("detail") != "Method Not Allowed" {
		t.Errorf("GET on a POST route: %d %v; want FastAPI's 405", r.status, r.body)
	}
	if r := e.do("GET", "/api/auth/security/users/3/unlock", root, "", ""); r.status != 404 || r.str("detail") != "Not Found" {
		t.Errorf("unlock, which CoPilot lacks: %d %v; want FastAPI's 404", r.status, r.body)
	}
}
