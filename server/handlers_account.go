package server

import (
	"net/http"
	"time"

	"github.com/twofa/twofa/internal/version"
	"github.com/twofa/twofa/server/httpx"
)

// meResponse is the [ext] answer of GET /api/auth/me.
type meResponse struct {
	ID          int64         `json:"id"`
	Username    string        `json:"username"`
	Role        string        `json:"role"`
	HasPassword bool          `json:"has_password"`
	TwoFactor   twoFactorInfo `json:"two_factor"`
}

type twoFactorInfo struct {
	Enabled              bool       `json:"enabled"`
	EnabledAt            *time.Time `json:"enabled_at"`
	BackupCodesRemaining int        `json:"backup_codes_remaining"`
	BackupCodesTotal     int        `json:"backup_codes_total"`
	// Required says the account's role requires 2FA [ext]; RequiredBy is
	// the end of the grace, after which EnrollmentOnly holds while 2FA is off.
	Required       bool       `json:"required,omitempty"`
	RequiredBy     *time.Time `json:"required_by,omitempty"`
	EnrollmentOnly bool       `json:"enrollment_only,omitempty"`
}

// handleMe is GET /api/auth/me [ext]: the account and its 2FA summary.
func (s *Server) handleMe(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	tf, err := s.twoFactorOf(r.Context(), rc.user.ID)
	if err != nil {
		return err
	}
	req, err := s.requirementOf(r.Context(), rc.user)
	if err != nil {
		return err
	}
	info := twoFactorInfo{Enabled: tf.enabled, EnabledAt: tf.enabledAt, BackupCodesRemaining: tf.codesLeft, BackupCodesTotal: tf.codesTotal}
	if req.required {
		until := req.until.UTC()
		info.Required, info.RequiredBy = true, &until
		info.EnrollmentOnly = !tf.enabled && !s.now().Before(until)
	}
	httpx.WriteJSON(w, http.StatusOK, meResponse{
		ID: rc.user.ID, Username: rc.user.Username, Role: rc.user.Role, HasPassword: rc.user.PasswordHash != "",
		TwoFactor: info,
	})
	return nil
}

// handleHealth is GET /api/health [ext].
func (s *Server) handleHealth(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	httpx.WriteJSON(w, http.StatusOK, map[string]string{"status": "ok", "version": version.String()})
	return nil
}
