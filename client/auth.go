package client

import (
	"context"
	"errors"
	"net/http"

	"github.com/twofa/twofa/internal/codes"
	"github.com/twofa/twofa/internal/wire"
)

// Portal names the route an account signs in at.
type Portal string

const (
	// PortalMain is POST /api/auth/token, where most accounts sign in.
	PortalMain Portal = ""
	// PortalCustomer is CoPilot's POST /api/auth/token/customer-portal,
	// the only one that signs in customer_user accounts.
	PortalCustomer Portal = "customer-portal"
)

// path is the portal's sign-in route below /api.
func (p Portal) path() (string, route) {
	if p == PortalCustomer {
		return "/auth/token/customer-portal", routeCustomerToken
	}
	return "/auth/token", routeToken
}

// Login signs in with a password at the main route, following CoPilot to
// its Customer Portal route when it says so (see LoginAt).
func (c *Client) Login(ctx context.Context, username, password string) (*LoginResult, error) {
	return c.LoginAt(ctx, PortalMain, username, password)
}

// LoginAt signs in with a password (a form body), first at portal's route.
// When the server answers there that the account belongs to the other
// portal — CoPilot's 403 for a customer_user at /api/auth/token, or for
// another account at the Customer Portal's route — or the Customer Portal's
// route is absent, the same form is sent once to the other route. The
// result says which route signed the account in. When it has Requires2FA
// its token is a pending token for ValidateTOTP or ValidateBackup.
func (c *Client) LoginAt(ctx context.Context, portal Portal, username, password string) (*LoginResult, error) {
	res, err := c.login(ctx, portal, username, password)
	var api *APIError
	switch {
	case portal == PortalMain && errors.As(err, &api) && api.Code == wire.CustomerPortalOnly:
		alt, altErr := c.login(ctx, PortalCustomer, username, password)
		if errors.Is(altErr, ErrNotOffered) {
			return nil, err
		}
		return alt, altErr
	case portal == PortalCustomer && (errors.Is(err, ErrNotOffered) || errors.As(err, &api) && api.Code == wire.NoCustomerPortal):
		return c.login(ctx, PortalMain, username, password)
	}
	return res, err
}

// login is one sign-in request at portal's route; the Customer Portal's
// route answering 404/405 is ErrNotOffered.
func (c *Client) login(ctx context.Context, portal Portal, username, password string) (*LoginResult, error) {
	path, rt := portal.path()
	var out LoginResult
	ext := extNone
	if portal == PortalCustomer {
		ext = ExtCustomerPortal
	}
	err := c.do(ctx, call{method: http.MethodPost, path: path, route: rt, ext: ext,
		form: map[string]string{"username": username, "password": password}, out: &out})
	if err != nil {
		return nil, err
	}
	if out.AccessToken == "" {
		return nil, c.emptyToken()
	}
	out.Portal = portal
	return &out, nil
}

// Refresh exchanges the live session for a fresh token (GET /api/auth/refresh).
func (c *Client) Refresh(ctx context.Context) (*Token, error) {
	return c.tokenCall(ctx, call{method: http.MethodGet, path: "/auth/refresh", route: routeRefresh, auth: true})
}

// ValidateTOTP completes a sign-in with an authenticator code
// (POST /api/auth/2fa/validate, no Authorization header). The code is sent
// once; a failure is never retried.
func (c *Client) ValidateTOTP(ctx context.Context, tempToken, code string) (*Token, error) {
	norm, err := normTOTP(code)
	if err != nil {
		return nil, err
	}
	return c.validate(ctx, map[string]string{"temp_token": tempToken, "code": norm})
}

// ValidateBackup completes a sign-in with a backup code, sent without spaces
// or dashes and upper-cased (CoPilot only upper-cases and trims).
func (c *Client) ValidateBackup(ctx context.Context, tempToken, backupCode string) (*Token, error) {
	norm, err := normBackup(backupCode)
	if err != nil {
		return nil, err
	}
	return c.validate(ctx, map[string]string{"temp_token": tempToken, "backup_code": norm})
}

func (c *Client) validate(ctx context.Context, body map[string]string) (*Token, error) {
	return c.tokenCall(ctx, call{method: http.MethodPost, path: "/auth/2fa/validate", route: routeValidate, body: body})
}

// tokenCall runs k, whose answer is a token, and refuses a success answer
// that carries none.
func (c *Client) tokenCall(ctx context.Context, k call) (*Token, error) {
	var out Token
	k.out = &out
	if err := c.do(ctx, k); err != nil {
		return nil, err
	}
	if out.AccessToken == "" {
		return nil, c.emptyToken()
	}
	return &out, nil
}

// Logout revokes the session at the server (POST /api/auth/logout) [ext];
// ErrNotOffered when the server has no such route.
func (c *Client) Logout(ctx context.Context) error {
	return c.do(ctx, call{method: http.MethodPost, path: "/auth/logout", route: routeLogout, auth: true, ext: ExtLogout})
}

// normTOTP strips separators from a TOTP code; a code that cannot be one is
// refused here (Status 0) so that it costs no attempt at the server.
func normTOTP(code string) (string, error) {
	norm, ok := codes.NormalizeTOTP(code)
	if !ok {
		return "", &APIError{Code: wire.InvalidCode, Detail: "an authenticator code is 6 digits"}
	}
	return norm, nil
}

// normBackup strips spaces and dashes from a backup code and upper-cases it.
func normBackup(code string) (string, error) {
	norm, ok := codes.NormalizeBackup(code)
	if !ok {
		return "", &APIError{Code: wire.InvalidCode, Detail: "a backup code is letters and digits, like ABCDE-12345"}
	}
	return norm, nil
}

// emptyToken is the error for a success answer that carries no token.
func (c *Client) emptyToken() error {
	return c.badField(http.StatusOK, &BadField{Field: "access_token", Problem: FieldMissing})
}
