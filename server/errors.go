package server

import (
	"errors"
	"fmt"
	"math"
	"time"
)

// Errors of the account rules. They say what happened, not how to answer
// it: the HTTP layer turns each into a status, wire code and sentence in
// one place (answers.go), the admin command prints them.
var (
	// ErrInvalidCredentials is a sign-in with an unknown username or a wrong password.
	ErrInvalidCredentials = errors.New("incorrect username or password")
	// ErrInvalidCode is a wrong second-factor code, TOTP or backup code.
	ErrInvalidCode = errors.New("invalid second-factor code")
	// ErrInvalidBackupCode is a wrong or already spent backup code; it is an ErrInvalidCode.
	ErrInvalidBackupCode = fmt.Errorf("backup code: %w", ErrInvalidCode)
	// ErrReplay is a right TOTP whose time step was already accepted for the account.
	ErrReplay = errors.New("TOTP time step already used")
	// ErrPendingExpired is a pending sign-in token that is unknown, expired or spent.
	ErrPendingExpired = errors.New("pending sign-in expired, spent or unknown")
	// ErrAlreadyEnabled is a request that needs 2FA off on an account that has it on.
	ErrAlreadyEnabled = errors.New("two-factor authentication is already enabled")
	// ErrNotEnabled is a request that needs 2FA on on an account that has it off.
	ErrNotEnabled = errors.New("two-factor authentication is not enabled")
	// ErrSetupRequired is verify-setup with no enrollment in progress.
	ErrSetupRequired = errors.New("no two-factor setup in progress")
	// ErrSetupReplaced is verify-setup whose pending secret a newer setup
	// replaced while the code was checked; it is an ErrSetupRequired.
	ErrSetupReplaced = fmt.Errorf("%w: the pending secret was replaced by a newer setup", ErrSetupRequired)
	// ErrPasswordRequired is setup without the account password.
	ErrPasswordRequired = errors.New("password required to set up two-factor authentication")
	// ErrInvalidPassword is setup with a wrong account password.
	ErrInvalidPassword = errors.New("incorrect password")
	// ErrNoSuchUser is an operation naming an unknown account (see UnknownUserError).
	ErrNoSuchUser = errors.New("no such user")
	// ErrForbidden is an administrators' operation asked by another account.
	ErrForbidden = errors.New("administrator privileges required")

	// ErrUnauthorized is a request without a live session; the five errors
	// below say why, and each is an ErrUnauthorized.
	ErrUnauthorized = errors.New("not signed in")
	// ErrNoSession is a request that carries no session token at all.
	ErrNoSession = fmt.Errorf("%w: no session token", ErrUnauthorized)
	// ErrSessionInvalid is a session token that is unknown, expired or revoked.
	ErrSessionInvalid = fmt.Errorf("%w: session invalid, expired or revoked", ErrUnauthorized)
	// ErrPendingNotSession is a pending sign-in token used as a session.
	ErrPendingNotSession = fmt.Errorf("%w: pending sign-in token used as a session", ErrUnauthorized)
	// ErrSessionReused is a session token that a refresh had replaced,
	// presented again: its family has been ended.
	ErrSessionReused = fmt.Errorf("%w: replaced session token used again", ErrUnauthorized)
	// ErrAccountGone is a live session whose account no longer exists.
	ErrAccountGone = fmt.Errorf("%w: the account no longer exists", ErrUnauthorized)
)

// LockedError is a second-factor check refused because the account is
// locked after too many failures; the lock ends at Until.
type LockedError struct {
	Until time.Time
}

// Error names the end of the lock.
func (e *LockedError) Error() string {
	return "second-factor checks locked until " + e.Until.UTC().Format(time.RFC3339)
}

// SecondsLeft is how long the lock still lasts at now, in whole seconds
// rounded up, and never less than one.
func (e *LockedError) SecondsLeft(now time.Time) int {
	secs := int(math.Ceil(e.Until.Sub(now).Seconds()))
	return max(secs, 1)
}

// UnknownUserError names an account an operation could not find, by ID or
// by name; it is an ErrNoSuchUser.
type UnknownUserError struct {
	ID   int64
	Name string
}

// Error names the account as the caller named it.
func (e *UnknownUserError) Error() string {
	if e.Name != "" {
		return fmt.Sprintf("user %q: %v", e.Name, ErrNoSuchUser)
	}
	return fmt.Sprintf("user id %d: %v", e.ID, ErrNoSuchUser)
}

// Is makes errors.Is(err, ErrNoSuchUser) hold.
func (e *UnknownUserError) Is(target error) bool { return target == ErrNoSuchUser }
