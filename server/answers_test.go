package server

import (
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/twofa/twofa/server/httpx"
)

// TestAnswerMapsDomainErrors: every error of the account rules, also when
// wrapped with %w on its way up, gets its status, code and sentence; a
// lock answers 429 with the seconds left; anything unknown answers a 500
// that tells nothing and is logged.
func TestAnswerMapsDomainErrors(t *testing.T) {
	now := time.Date(2025, 6, 1, 12, 0, 15, 500_000_000, time.UTC)
	var logs strings.Builder
	s := &Server{now: func() time.Time { return now }, log: slog.New(slog.NewTextHandler(&logs, nil))}
	tests := []struct {
		name       string
		auth       string
		err        error
		status     int
		code       string
		detail     string
		retryAfter int
	}{
		{"wrong TOTP with a session", AuthSession, ErrInvalidCode, 400, "invalid_code", "Invalid 2FA code. Check your authenticator app and try again.", 0},
		{"wrong TOTP at sign-in", AuthPending, ErrInvalidCode, 401, "invalid_code", "Invalid 2FA code. Check your authenticator app and try again.", 0},
		{"wrong backup code with a session", AuthSession, ErrInvalidBackupCode, 400, "invalid_code", "Invalid backup code. Each backup code works only once.", 0},
		{"wrong backup code at sign-in", AuthPending, fmt.Errorf("validate: %w", ErrInvalidBackupCode), 401, "invalid_code", "Invalid backup code. Each backup code works only once.", 0},
		{"replay", AuthSession, fmt.Errorf("regenerate: %w", ErrReplay), 401, "code_reused", "This code has already been used. Wait for a new code.", 0},
		{"credentials", AuthPasswordForm, ErrInvalidCredentials, 401, "invalid_credentials", "Incorrect username or password", 0},
		{"pending expired", AuthPending, ErrPendingExpired, 401, "pending_expired", "Your sign-in has expired or was already used. Sign in again with your password.", 0},
		{"already enabled", AuthSession, ErrAlreadyEnabled, 409, "already_enabled", "Two-factor authentication is already enabled.", 0},
		{"not enabled", AuthSession, ErrNotEnabled, 409, "not_enabled", "Two-factor authentication is not enabled.", 0},
		{"setup required", AuthSession, ErrSetupRequired, 400, "setup_required", "No two-factor setup is in progress. Start it with /api/auth/2fa/setup.", 0},
		{"setup replaced", AuthSession, fmt.Errorf("verify-setup: %w", ErrSetupReplaced), 400, "setup_required", "Two-factor setup was started again meanwhile, so this secret is no longer the one pending. Scan the new QR code and verify a code from it.", 0},
		{"password required", AuthSession, ErrPasswordRequired, 401, "password_required", "Enter your password again to set up two-factor authentication.", 0},
		{"wrong password", AuthSession, ErrInvalidPassword, 401, "invalid_password", "The password is incorrect.", 0},
		{"no session", AuthSession, ErrNoSession, 401, "unauthorized", "Not authenticated", 0},
		{"session invalid", AuthAdmin, ErrSessionInvalid, 401, "unauthorized", "Could not validate credentials: the session is invalid, expired or revoked. Sign in again.", 0},
		{"pending as session", AuthSession, ErrPendingNotSession, 401, "unauthorized", "Two-factor authentication required: this sign-in token is only accepted at /api/auth/2fa/validate.", 0},
		{"account gone", AuthSession, ErrAccountGone, 401, "unauthorized", "Could not validate credentials: the account no longer exists.", 0},
		{"forbidden", AuthAdmin, ErrForbidden, 403, "forbidden", "Administrator privileges are required.", 0},
		{"unknown user", AuthAdmin, &UnknownUserError{ID: 42}, 404, "not_found", "User 42 not found.", 0},
		{"locked", AuthPending, fmt.Errorf("validate: %w", &LockedError{Until: now.Truncate(time.Second).Add(15 * time.Minute)}), 429, "locked_out", "Too many failed 2FA attempts. Try again in 900 seconds.", 900},
		{"lock about to end", AuthSession, &LockedError{Until: now}, 429, "locked_out", "Too many failed 2FA attempts. Try again in 1 seconds.", 1},
		{"sign-in throttled", AuthPasswordForm, &ThrottledError{Until: now.Truncate(time.Second).Add(time.Minute)}, 429, "throttled", "Too many failed sign-in attempts. Try again in 60 seconds.", 60},
		{"sign-in throttled, a second left", AuthPasswordForm, fmt.Errorf("setup: %w", &ThrottledError{Until: now}), 429, "throttled", "Too many failed sign-in attempts. Try again in 1 second.", 1},
		{"request shape", AuthSession, httpx.BadRequest("Send either code or backup_code, not both."), 400, "invalid_request", "Send either code or backup_code, not both.", 0},
		{"anything else", AuthSession, fmt.Errorf("decrypt secret: %w", io.ErrUnexpectedEOF), 500, "internal", "Internal server error", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, _ := http.NewRequest("POST", "/", nil)
			got := s.answer(r, tt.auth, tt.err)
			want := &httpx.Error{Status: tt.status, Code: tt.code, Detail: tt.detail, RetryAfter: tt.retryAfter}
			if *got != *want {
				t.Fatalf("answer(%v) = %+v, want %+v", tt.err, *got, *want)
			}
		})
	}
	if !strings.Contains(logs.String(), "decrypt secret: unexpected EOF") || strings.Count(logs.String(), "internal error") != 1 {
		t.Fatalf("only the unknown error is logged, with its cause; log:\n%s", logs.String())
	}
}

// TestDomainErrorsMatch: the errors that say why are the general ones too.
func TestDomainErrorsMatch(t *testing.T) {
	for _, tt := range []struct{ err, is error }{
		{ErrInvalidBackupCode, ErrInvalidCode},
		{ErrNoSession, ErrUnauthorized},
		{ErrSessionInvalid, ErrUnauthorized},
		{ErrPendingNotSession, ErrUnauthorized},
		{ErrAccountGone, ErrUnauthorized},
		{fmt.Errorf("reset: %w", &UnknownUserError{Name: "bob"}), ErrNoSuchUser},
	} {
		if !errors.Is(tt.err, tt.is) {
			t.Errorf("errors.Is(%v, %v) = false", tt.err, tt.is)
		}
	}
	if errors.Is(ErrInvalidCode, ErrInvalidBackupCode) || errors.Is(ErrReplay, ErrInvalidCode) {
		t.Error("a general error matches a particular one")
	}
	if got := (&UnknownUserError{Name: "bob"}).Error(); got != `user "bob": no such user` {
		t.Errorf("UnknownUserError by name = %q", got)
	}
}
