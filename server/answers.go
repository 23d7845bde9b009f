package server

import (
	"errors"
	"net/http"

	"github.com/twofa/twofa/internal/wire"
	"github.com/twofa/twofa/server/httpx"
)

// answers is how each error of the account rules is answered on the wire:
// status, code of package wire and CoPilot's sentence where CoPilot has one
// (api.md "Errors"). The first entry whose error matches (errors.Is) wins,
// so an error comes before the more general one it wraps.
var answers = []struct {
	err    error
	status int
	code   string
	detail string
}{
	{ErrInvalidCredentials, http.StatusUnauthorized, wire.InvalidCredentials, "Incorrect username or password"},
	{ErrInvalidBackupCode, http.StatusBadRequest, wire.InvalidCode, "Invalid backup code. Each backup code works only once."},
	{ErrInvalidCode, http.StatusBadRequest, wire.InvalidCode, "Invalid 2FA code. Check your authenticator app and try again."},
	{ErrReplay, http.StatusUnauthorized, wire.CodeReused, "This code has already been used. Wait for a new code."},
	{ErrPendingExpired, http.StatusUnauthorized, wire.PendingExpired, "Your sign-in has expired or was already used. Sign in again with your password."},
	{ErrAlreadyEnabled, http.StatusConflict, wire.AlreadyEnabled, "Two-factor authentication is already enabled."},
	{ErrNotEnabled, http.StatusConflict, wire.NotEnabled, "Two-factor authentication is not enabled."},
	{ErrSetupReplaced, http.StatusBadRequest, wire.SetupRequired, "Two-factor setup was started again meanwhile, so this secret is no longer the one pending. Scan the new QR code and verify a code from it."},
	{ErrSetupRequired, http.StatusBadRequest, wire.SetupRequired, "No two-factor setup is in progress. Start it with /api/auth/2fa/setup."},
	{ErrPasswordRequired, http.StatusUnauthorized, wire.PasswordRequired, "Enter your password again to set up two-factor authentication."},
	{ErrInvalidPassword, http.StatusUnauthorized, wire.InvalidPassword, "The password is incorrect."},
	{ErrNoSession, http.StatusUnauthorized, wire.Unauthorized, "Not authenticated"},
	{ErrSessionInvalid, http.StatusUnauthorized, wire.Unauthorized, "Could not validate credentials: the session is invalid, expired or revoked. Sign in again."},
	{ErrPendingNotSession, http.StatusUnauthorized, wire.Unauthorized, "Two-factor authentication required: this sign-in token is only accepted at /api/auth/2fa/validate."},
	{ErrSessionReused, http.StatusUnauthorized, wire.Unauthorized, "Could not validate credentials: this session token had been replaced by a refresh and was used again, so the session has been ended everywhere. Sign in again."},
	{ErrAccountGone, http.StatusUnauthorized, wire.Unauthorized, "Could not validate credentials: the account no longer exists."},
	{ErrForbidden, http.StatusForbidden, wire.Forbidden, "Administrator privileges are required."},
	{ErrEnrollmentRequired, http.StatusForbidden, wire.EnrollmentRequired, "Your organisation requires two-factor authentication for your role. Enable it to continue."},
}

// internalAnswer is the 500 that reveals nothing.
func internalAnswer() *httpx.Error {
	return httpx.Errorf(http.StatusInternalServerError, wire.Internal, "Internal server error")
}

// answer turns err into what the client receives. Request-shape refusals
// the HTTP layer made itself (*httpx.Error) pass as they are; a held
// password check and a lock answer 429 with the seconds left and
// Retry-After; an unknown user 404.
// A wrong code is 401 where the code is the caller's credential (the
// pending sign-in, as CoPilot answers) and 400 where a session already
// authenticates the caller. Anything else is logged and answers 500.
func (s *Server) answer(r *http.Request, auth string, err error) *httpx.Error {
	var (
		he        *httpx.Error
		throttled *ThrottledError
		locked    *LockedError
		unknown   *UnknownUserError
	)
	switch {
	case errors.As(err, &he):
		return he
	case errors.As(err, &throttled):
		secs := throttled.SecondsLeft(s.now())
		what := "Too many failed sign-in attempts."
		if throttled.Busy {
			what = "Too many sign-ins are being checked at once."
		}
		e := httpx.Errorf(http.StatusTooManyRequests, wire.Throttled, "%s Try again in %s.", what, count(secs, "second"))
		e.RetryAfter = secs
		return e
	case errors.As(err, &locked):
		secs := locked.SecondsLeft(s.now())
		e := httpx.Errorf(http.StatusTooManyRequests, wire.LockedOut, "Too many failed 2FA attempts. Try again in %d seconds.", secs)
		e.RetryAfter = secs
		return e
	case errors.As(err, &unknown):
		return httpx.Errorf(http.StatusNotFound, wire.NotFound, "User %d not found.", unknown.ID)
	}
	for _, a := range answers {
		if errors.Is(err, a.err) {
			status := a.status
			if auth == AuthPending && errors.Is(err, ErrInvalidCode) {
				status = http.StatusUnauthorized
			}
			return &httpx.Error{Status: status, Code: a.code, Detail: a.detail}
		}
	}
	s.log.Error("internal error", "pattern", r.Pattern, "err", err.Error())
	return internalAnswer()
}

// statusClientGone is the request log's status of a request whose client
// went away before its answer (nginx's 499): nothing is sent.
const statusClientGone = 499

// writeError answers err on w (see answer). When the client has gone, the
// request ended because of that, not in error: nothing is sent and nothing
// is logged as an error.
func (s *Server) writeError(w http.ResponseWriter, r *http.Request, auth string, err error) {
	if r.Context().Err() != nil {
		s.log.Info("client went away", "pattern", r.Pattern, "err", err.Error())
		w.WriteHeader(statusClientGone)
		return
	}
	httpx.WriteError(w, s.answer(r, auth, err))
}
