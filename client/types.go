package client

import "time"

// The answers below are decoded in one place (decode, wire.go), which
// cleans every string in them of escape sequences, control and invisible
// characters and checks the bounds their `text` tags give (package
// internal/safetext): a field with no tag is a line of at most 512
// characters, `token` fields (secrets, codes, tokens) must arrive as
// printable ASCII and are never changed. No screen, command or file writer
// receives server text any other way.

// The bounds of what a server may send, in characters (or items).
const (
	// MaxBackupCodes is the most backup codes an answer may carry.
	MaxBackupCodes = 32
	// MaxBackupCodeLen is the longest backup code.
	MaxBackupCodeLen = 64
	// MaxNameLen is the longest username, role, issuer or account name.
	MaxNameLen = 128
	// MaxSentenceLen is the longest message or error sentence.
	MaxSentenceLen = 512
	// MaxTokenLen is the longest session or pending token.
	MaxTokenLen = 8192
)

// Token is a bearer token the server issued.
type Token struct {
	AccessToken string `json:"access_token" text:"token,max=8192"`
	TokenType   string `json:"token_type" text:"max=32"`
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
	Message string `json:"message" text:"max=512"`
}

// SetupResult is a started enrollment: nothing is active until VerifySetup.
type SetupResult struct {
	// Secret is the TOTP secret in base32, checked to be one.
	Secret string `json:"secret" text:"token,max=128"`
	// OTPAuthURL is the otpauth://totp/ URI the QR code encodes: the
	// server's own when it is clean, else rebuilt from its checked parts
	// (see Issuer and Account).
	OTPAuthURL  string   `json:"otpauth_url" text:"token,max=2048"`
	BackupCodes []string `json:"backup_codes" text:"token,max=64,items=32"`
	// BackupCodesAnyForm is the server saying it accepts a backup code
	// typed without its dashes or spaces and in any case [ext]; when false
	// the codes must be shown and saved exactly as issued.
	BackupCodesAnyForm bool   `json:"backup_codes_any_form"`
	Message            string `json:"message" text:"max=512"`
	// Issuer and Account are the names the otpauth URI gives the key
	// (what an authenticator app shows), cleaned; Account is never empty.
	Issuer  string `json:"-"`
	Account string `json:"-"`
}

// Changed is the answer of a change to the account's 2FA (verify-setup,
// disable) that ends its other sessions.
type Changed struct {
	Message string `json:"message" text:"max=512"`
	// OtherSessionsRevoked is how many other sessions of the account the
	// change ended [ext]; 0 where the server does not say (CoPilot).
	OtherSessionsRevoked int `json:"other_sessions_revoked" text:"max=1000000"`
}

// RegenerateResult is a new set of backup codes; every earlier one is dead.
type RegenerateResult struct {
	BackupCodes []string `json:"backup_codes" text:"token,max=64,items=32"`
	// BackupCodesAnyForm: as in SetupResult [ext].
	BackupCodesAnyForm bool   `json:"backup_codes_any_form"`
	Message            string `json:"message" text:"max=512"`
	// OtherSessionsRevoked: as in Changed [ext].
	OtherSessionsRevoked int `json:"other_sessions_revoked" text:"max=1000000"`
}

// Me describes the signed-in account [ext].
type Me struct {
	ID          int64         `json:"id"`
	Username    string        `json:"username" text:"max=128"`
	Role        string        `json:"role" text:"max=128"`
	HasPassword bool          `json:"has_password"`
	TwoFactor   TwoFactorInfo `json:"two_factor"`
}

// TwoFactorInfo is the account's second-factor state as Me reports it.
type TwoFactorInfo struct {
	Enabled              bool       `json:"enabled"`
	EnabledAt            *time.Time `json:"enabled_at"`
	BackupCodesRemaining int        `json:"backup_codes_remaining" text:"max=1000"`
	BackupCodesTotal     int        `json:"backup_codes_total" text:"max=1000"`
	// Required says the account's role requires 2FA [ext]; RequiredBy is
	// the end of its grace; EnrollmentOnly, that the grace is over and the
	// session is good only for enabling 2FA.
	Required       bool       `json:"required"`
	RequiredBy     *time.Time `json:"required_by"`
	EnrollmentOnly bool       `json:"enrollment_only"`
}

// Health is the server's answer to a health check [ext].
type Health struct {
	Status  string `json:"status" text:"max=128"`
	Version string `json:"version" text:"max=128"`
}
