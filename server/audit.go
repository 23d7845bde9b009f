package server

import (
	"context"
	"fmt"

	"github.com/twofa/twofa/server/store"
)

// Audit event names.
const (
	EventSignInOK          = "signin_ok"
	EventSignInPassword    = "signin_password_ok_2fa_required"
	EventSignInFailed      = "signin_failed"
	EventSignInThrottled   = "signin_throttled"
	EventTwoFactorFailed   = "2fa_failed"
	EventTwoFactorEnabled  = "2fa_enabled"
	EventTwoFactorDisabled = "2fa_disabled"
	EventSetupStarted      = "2fa_setup_started"
	EventReauthFailed      = "reauth_failed"
	EventCodesRegenerated  = "backup_codes_regenerated"
	EventBackupCodeUsed    = "backup_code_used"
	EventReplayRefused     = "replay_refused"
	EventLockout           = "lockout"
	EventLockedRefused     = "locked_attempt_refused"
	EventAdminReset        = "admin_reset_2fa"
	EventUnlock            = "admin_unlock"
	EventPasswordSet       = "admin_set_password"
	EventUserCreated       = "admin_create_user"
	EventKeyRotated        = "admin_rotate_key"
	EventLogout            = "logout"
	EventSessionReused     = "session_reuse_detected"
)

// auditIn appends one event inside a transaction and returns its error, so
// the event commits with the change it records or neither does.
func (s *Server) auditIn(ctx context.Context, h store.Handle, u store.User, event, addr, detail string) error {
	uid := u.ID
	e := store.Event{At: s.now().UTC(), Username: u.Username, Event: event, ClientAddr: addr, Detail: detail}
	if u.ID != 0 {
		e.UserID = &uid
	}
	return s.store.Audit.Append(ctx, h, e)
}

// audit appends one event on h; a failure is logged, never shown to the
// caller (the security decision has already been taken and stored).
func (s *Server) audit(ctx context.Context, h store.Handle, u store.User, event, addr, detail string) {
	if h == nil {
		h = s.store.DB()
	}
	if err := s.auditIn(ctx, h, u, event, addr, detail); err != nil {
		s.log.Error("audit append failed", "event", event, "err", err.Error())
	}
}

// count is n with its noun: "1 session", "3 sessions".
func count(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
