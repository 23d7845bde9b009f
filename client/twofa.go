package client

import (
	"context"
	"net/http"
	"strconv"
)

// TwoFAStatus reports whether 2FA is on (GET /api/auth/2fa/status).
func (c *Client) TwoFAStatus(ctx context.Context) (*TwoFAStatus, error) {
	var out TwoFAStatus
	err := c.do(ctx, call{method: http.MethodGet, path: "/auth/2fa/status", route: routeStatus, auth: true, out: &out, retry: true})
	if err != nil {
		return nil, err
	}
	return &out, nil
}

// Setup starts enrollment (POST /api/auth/2fa/setup). It always sends the
// account password: the reference server requires it, CoPilot ignores it.
// The answer's secret must be base32 and its otpauth URI a TOTP URI of the
// same secret (checkSetup); anything else is a bad response.
func (c *Client) Setup(ctx context.Context, password string) (*SetupResult, error) {
	var out SetupResult
	err := c.do(ctx, call{method: http.MethodPost, path: "/auth/2fa/setup", route: routeSetup, auth: true,
		body: map[string]string{"password": password}, out: &out})
	if err != nil {
		return nil, err
	}
	if bf := checkSetup(&out); bf != nil {
		return nil, c.badField(http.StatusOK, bf)
	}
	return &out, nil
}

// VerifySetup turns 2FA on with the first code from the authenticator app
// (POST /api/auth/2fa/verify-setup).
func (c *Client) VerifySetup(ctx context.Context, code string) (*Changed, error) {
	norm, err := normTOTP(code)
	if err != nil {
		return nil, err
	}
	return c.change(ctx, call{method: http.MethodPost, path: "/auth/2fa/verify-setup", route: routeVerifySetup, auth: true,
		body: map[string]string{"code": norm}})
}

// DisableTOTP turns 2FA off with a current authenticator code
// (DELETE /api/auth/2fa/disable with a JSON body).
func (c *Client) DisableTOTP(ctx context.Context, code string) (*Changed, error) {
	norm, err := normTOTP(code)
	if err != nil {
		return nil, err
	}
	return c.disable(ctx, map[string]string{"code": norm})
}

// DisableBackup turns 2FA off with a backup code, normalized like ValidateBackup.
func (c *Client) DisableBackup(ctx context.Context, backupCode string) (*Changed, error) {
	norm, err := normBackup(backupCode)
	if err != nil {
		return nil, err
	}
	return c.disable(ctx, map[string]string{"backup_code": norm})
}

func (c *Client) disable(ctx context.Context, body map[string]string) (*Changed, error) {
	return c.change(ctx, call{method: http.MethodDelete, path: "/auth/2fa/disable", route: routeDisable, auth: true, body: body})
}

// change runs k, a change answered {"message", "success"} and [ext]
// "other_sessions_revoked".
func (c *Client) change(ctx context.Context, k call) (*Changed, error) {
	var out Changed
	k.out = &out
	if err := c.do(ctx, k); err != nil {
		return nil, err
	}
	return &out, nil
}

// RegenerateBackupCodes replaces every backup code with a new set, given a
// current authenticator code (POST /api/auth/2fa/backup-codes/regenerate).
func (c *Client) RegenerateBackupCodes(ctx context.Context, code string) (*RegenerateResult, error) {
	norm, err := normTOTP(code)
	if err != nil {
		return nil, err
	}
	var out RegenerateResult
	err = c.do(ctx, call{method: http.MethodPost, path: "/auth/2fa/backup-codes/regenerate", route: routeRegenerate, auth: true,
		body: map[string]string{"code": norm}, out: &out})
	if err != nil {
		return nil, err
	}
	bf := checkCodes(out.BackupCodes)
	if len(out.BackupCodes) == 0 {
		bf = &BadField{Field: "backup_codes", Problem: FieldMissing}
	}
	if bf != nil {
		return nil, c.badField(http.StatusOK, bf)
	}
	return &out, nil
}

// AdminResetTOTP force-resets another user's 2FA (admin only,
// DELETE /api/auth/security/users/{id}/totp).
func (c *Client) AdminResetTOTP(ctx context.Context, userID int64) error {
	return c.do(ctx, call{method: http.MethodDelete, path: "/auth/security/users/" + strconv.FormatInt(userID, 10) + "/totp",
		route: routeAdminReset, auth: true})
}
