// Package wire names the machine codes of the account API's error body
// ({"detail": "<sentence>", "code": "<code>"}, api.md "Errors"): the
// reference server writes them, the client reads them (and classifies a
// stock CoPilot's bare answers into the same values).
package wire

// Error codes of api.md.
const (
	// InvalidCredentials answers a wrong username or password at sign-in.
	InvalidCredentials = "invalid_credentials"
	// InvalidCode answers a wrong or spent TOTP or backup code.
	InvalidCode = "invalid_code"
	// CodeReused answers a TOTP whose time step was already accepted for the account.
	CodeReused = "code_reused"
	// LockedOut answers any second-factor check while the account is locked; Retry-After says how long.
	LockedOut = "locked_out"
	// Throttled answers a password check refused without being evaluated
	// after too many failed sign-ins; Retry-After says when to try again.
	Throttled = "throttled"
	// PendingExpired answers a pending sign-in token that is unknown, expired or spent.
	PendingExpired = "pending_expired"
	// AlreadyEnabled answers a request that needs 2FA off while it is on.
	AlreadyEnabled = "already_enabled"
	// NotEnabled answers a request that needs 2FA on while it is off.
	NotEnabled = "not_enabled"
	// SetupRequired answers verify-setup before setup (or after it was replaced).
	SetupRequired = "setup_required"
	// Unauthorized answers a missing session, or one that is expired, revoked or only pending.
	Unauthorized = "unauthorized"
	// PasswordRequired answers setup without the account password.
	PasswordRequired = "password_required"
	// InvalidPassword answers setup with a wrong account password.
	InvalidPassword = "invalid_password"
	// Forbidden answers a non-administrator at an administrators' route.
	Forbidden = "forbidden"
	// EnrollmentRequired answers any route but enrolment's for an account
	// whose role requires 2FA, past its grace, without 2FA [ext].
	EnrollmentRequired = "enrollment_required"
	// InvalidRequest answers a body or parameter of the wrong shape.
	InvalidRequest = "invalid_request"
	// NotFound answers an unknown route, or an unknown user at the admin route.
	NotFound = "not_found"
	// MethodNotAllowed answers a known route asked with another method.
	MethodNotAllowed = "method_not_allowed"
	// Internal answers a failure of the server; its detail reveals nothing.
	Internal = "internal"
)

// Codes the client classifies a stock CoPilot's answers into; the
// reference server never sends them.
const (
	// CustomerPortalOnly is CoPilot's 403 at /api/auth/token for a
	// customer_user account, which signs in at the Customer Portal's route.
	CustomerPortalOnly = "customer_portal_only"
	// NoCustomerPortal is CoPilot's 403 at the Customer Portal's route for
	// an account that signs in at the main one.
	NoCustomerPortal = "no_customer_portal"
)
