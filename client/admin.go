package client

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
)

// AdminUser is one account in an administrator's list (CoPilot's
// GET /api/auth/users and its customers' list). A field the server does
// not send stays nil: CoPilot's main list has no 2FA state, and only the
// reference server says codes left and lock [ext].
type AdminUser struct {
	ID          int64   `json:"id"`
	Username    string  `json:"username" text:"max=128"`
	Email       *string `json:"email" text:"max=256"`
	RoleName    string  `json:"role_name" text:"max=128"`
	TOTPEnabled *bool   `json:"totp_enabled"`
	LastLoginAt *Stamp  `json:"last_login_at"`
	// BackupCodesRemaining and LockedUntil [ext]; LockedUntil nil: no lock.
	BackupCodesRemaining *int   `json:"backup_codes_remaining" text:"max=1000"`
	LockedUntil          *Stamp `json:"locked_until"`
}

// usersAnswer is both user lists' answer.
type usersAnswer struct {
	Users   []AdminUser `json:"users" text:"items=10000"`
	Message string      `json:"message" text:"max=512"`
}

// AdminEvent is one security event of an account [ext].
type AdminEvent struct {
	At         Stamp  `json:"at"`
	Event      string `json:"event" text:"max=64"`
	ClientAddr string `json:"client_addr" text:"max=128"`
	Detail     string `json:"detail" text:"max=512"`
}

type eventsAnswer struct {
	Events []AdminEvent `json:"events" text:"items=1000"`
}

// userPath is /auth/security/users/{id}/tail.
func userPath(id int64, tail string) string {
	return "/auth/security/users/" + strconv.FormatInt(id, 10) + "/" + tail
}

// ListUsers lists the accounts whose name holds search, at most limit
// (admin only, GET /api/auth/users?search=&limit=).
func (c *Client) ListUsers(ctx context.Context, search string, limit int) ([]AdminUser, error) {
	q := url.Values{}
	if search != "" {
		q.Set("search", search)
	}
	if limit > 0 {
		q.Set("limit", strconv.Itoa(limit))
	}
	path := "/auth/users"
	if len(q) > 0 {
		path += "?" + q.Encode()
	}
	var out usersAnswer
	if err := c.do(ctx, call{method: http.MethodGet, path: path, route: routeUsers, auth: true, out: &out, retry: true}); err != nil {
		return nil, err
	}
	return out.Users, nil
}

// CustomerUsers lists a customer's accounts with their 2FA state and last
// sign-in (GET /api/auth/security/customers/{code}/users).
func (c *Client) CustomerUsers(ctx context.Context, customerCode string) ([]AdminUser, error) {
	var out usersAnswer
	path := "/auth/security/customers/" + url.PathEscape(customerCode) + "/users"
	if err := c.do(ctx, call{method: http.MethodGet, path: path, route: routeUsers, auth: true, out: &out, retry: true}); err != nil {
		return nil, err
	}
	return out.Users, nil
}

// AdminUnlock ends an account's second-factor lock [ext]
// (POST /api/auth/security/users/{id}/unlock); ErrNotOffered where absent.
func (c *Client) AdminUnlock(ctx context.Context, userID int64) (*Changed, error) {
	return c.change(ctx, call{method: http.MethodPost, path: userPath(userID, "unlock"), route: routeUnlock, auth: true, ext: ExtUnlock})
}

// AdminSendTempPassword has CoPilot send an account a temporary password
// (POST /api/auth/security/users/{id}/send-temp-password); ErrNotOffered where absent.
func (c *Client) AdminSendTempPassword(ctx context.Context, userID int64) (*Changed, error) {
	return c.change(ctx, call{method: http.MethodPost, path: userPath(userID, "send-temp-password"), route: routeTempPassword, auth: true, ext: ExtTempPassword})
}

// AdminEvents returns an account's newest security events [ext]
// (GET /api/auth/security/users/{id}/events?limit=N); ErrNotOffered where absent.
func (c *Client) AdminEvents(ctx context.Context, userID int64, limit int) ([]AdminEvent, error) {
	var out eventsAnswer
	path := userPath(userID, "events") + "?limit=" + strconv.Itoa(limit)
	if err := c.do(ctx, call{method: http.MethodGet, path: path, route: routeEvents, auth: true, out: &out, retry: true, ext: ExtEvents}); err != nil {
		return nil, err
	}
	return out.Events, nil
}

// ProbeAdminActions learns, without changing anything, which of the
// administrators' POST routes the server has (unlock [ext], CoPilot's
// send-temp-password): a GET to a route that exists for POST only is a
// 405, to one that does not a 404. Answers tell Offers.
func (c *Client) ProbeAdminActions(ctx context.Context) error {
	for _, p := range []struct {
		ext  Extension
		tail string
	}{{ExtUnlock, "unlock"}, {ExtTempPassword, "send-temp-password"}} {
		if _, known := c.offers.get(p.ext); known {
			continue
		}
		r := c.rc.R().SetContext(withClock(ctx, c.clock))
		resp, err := r.Execute(http.MethodGet, c.api+userPath(0, p.tail))
		if err != nil {
			return c.transportError(ctx, err)
		}
		switch resp.StatusCode() {
		case http.StatusMethodNotAllowed:
			c.offers.set(p.ext, true)
		case http.StatusNotFound:
			c.offers.set(p.ext, false)
		}
	}
	return nil
}
