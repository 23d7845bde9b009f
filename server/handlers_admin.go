package server

import (
	"fmt"
	"net/http"
	"strconv"

	"github.com/twofa/twofa/server/httpx"
)

// handleAdminReset is DELETE /api/auth/security/users/{user_id}/totp: an
// admin removes a user's 2FA, clears the lock and revokes their sessions.
func (s *Server) handleAdminReset(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	id, err := strconv.ParseInt(r.PathValue("user_id"), 10, 64)
	if err != nil || id <= 0 {
		return httpx.BadRequest("user_id must be a positive integer.")
	}
	target, err := s.resetByAdmin(r.Context(), rc.user, id, rc.addr)
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, messageResponse{fmt.Sprintf("Two-factor authentication was reset for user %s.", target.Username), true})
	return nil
}
