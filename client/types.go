package client

import "time"

// Token is a bearer token the server issued.
type Token struct {
	AccessToken string `json:"access_token"`
	TokenType   string `json:"token_type"`
}

// LoginResult is the answer to a password sign-in; with Requires2FA the token
// is a pending token, good only for ValidateTOTP or ValidateBackup.
type LoginResult struct {
	Token
	Requires2FA bool `json:"requires_2fa"`
	// Portal is the route that signed the account in.
	Portal Portal `json:"-"`
}

// TwoFAStatus says whether two-factor authentication is on for the account.
type TwoFAStatus struct {
	Enabled bool   `json:"enabled"`
	Message string `json:"message"`
}

// SetupResult is a started enrollment: nothing is active until VerifySetup.
type SetupResult struct {
	Secret      string   `json:"secret"`
	OTPAuthURL  string   `json:"otpauth_url"`
	QRDataURI   string   `json:"qr_data_uri"`
	BackupCodes []string `json:"backup_codes"`
	// BackupCodesAnyForm is the server saying it accepts a backup code
	// typed without its dashes or spaces and in any case [ext]; when false
	// the codes must be shown and saved exactly as issued.
	BackupCodesAnyForm bool   `json:"backup_codes_any_form"`
	Message            string `json:"message"`
}

// RegenerateResult is a new set of backup codes; every earlier one is dead.
type RegenerateResult struct {
	BackupCodes []string `json:"backup_codes"`
	// BackupCodesAnyForm: as in SetupResult [ext].
	BackupCodesAnyForm bool   `json:"backup_codes_any_form"`
	Message            string `json:"message"`
}

// Me describes the signed-in account [ext].
type Me struct {
	ID          int64         `json:"id"`
	Username    string        `json:"username"`
	Role        string        `json:"role"`
	HasPassword bool          `json:"has_password"`
	TwoFactor   TwoFactorInfo `json:"two_factor"`
}

// TwoFactorInfo is the account's second-factor state as Me reports it.
type TwoFactorInfo struct {
	Enabled              bool       `json:"enabled"`
	EnabledAt            *time.Time `json:"enabled_at"`
	BackupCodesRemaining int        `json:"backup_codes_remaining"`
	BackupCodesTotal     int        `json:"backup_codes_total"`
}

// Health is the server's answer to a health check [ext].
type Health struct {
	Status  string `json:"status"`
	Version string `json:"version"`
}
