package server

import (
	"fmt"
	"net/http"

	"github.com/twofa/twofa/server/httpx"
)

// handleAdminReset is DELETE /api/auth/security/users/{user_id}/totp: an
// admin removes a user's 2FA, clears the lock and revokes their sessions
// (but the caller's own, when admins reset themselves).
func (s *Server) handleAdminReset(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	target, n, err := s.resetByAdmin(r.Context(), rc.user, rc.token.Family, id, rc.addr)
	if err != nil {
		return err
	}
	msg := fmt.Sprintf("Two-factor authentication was reset for user %s.", target.Username) + signedOut(n, "session")
	httpx.WriteJSON(w, http.StatusOK, changeResponse{Message: msg, Success: true, OtherSessionsRevoked: n})
	return nil
}
