package server

import (
	"errors"
	"net/http"
	"time"

	"github.com/twofa/twofa/internal/version"
	"github.com/twofa/twofa/server/httpx"
	"github.com/twofa/twofa/server/store"
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
}

// handleMe is GET /api/auth/me [ext]: the account and its 2FA summary.
func (s *Server) handleMe(w http.ResponseWriter, r *http.Request, rc *reqCtx) *httpx.Error {
	ctx := r.Context()
	resp := meResponse{ID: rc.user.ID, Username: rc.user.Username, Role: rc.user.Role, HasPassword: rc.user.PasswordHash != ""}
	enr, err := s.enrollment(ctx, rc.user.ID)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return s.internal(r, err)
	}
	if err == nil && enr.State == store.StateEnabled {
		remaining, total, err := s.store.TwoFactor.CountBackupCodes(ctx, s.store.DB(), rc.user.ID)
		if err != nil {
			return s.internal(r, err)
		}
		resp.TwoFactor = twoFactorInfo{Enabled: true, EnabledAt: enr.EnabledAt, BackupCodesRemaining: remaining, BackupCodesTotal: total}
	}
	httpx.WriteJSON(w, http.StatusOK, resp)
	return nil
}

// handleHealth is GET /api/health [ext].
func (s *Server) handleHealth(w http.ResponseWriter, r *http.Request, rc *reqCtx) *httpx.Error {
	httpx.WriteJSON(w, http.StatusOK, map[string]string{"status": "ok", "version": version.String()})
	return nil
}
