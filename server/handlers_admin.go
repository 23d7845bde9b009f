package server

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"

	"github.com/twofa/twofa/server/httpx"
	"github.com/twofa/twofa/server/store"
)

// handleAdminReset is DELETE /api/auth/security/users/{user_id}/totp: an
// admin removes a user's 2FA, clears the lock and revokes their sessions.
func (s *Server) handleAdminReset(w http.ResponseWriter, r *http.Request, rc *reqCtx) *httpx.Error {
	id, err := strconv.ParseInt(r.PathValue("user_id"), 10, 64)
	if err != nil || id <= 0 {
		return httpx.BadRequest("user_id must be a positive integer.")
	}
	target, err := s.store.Users.ByID(r.Context(), s.store.DB(), id)
	if errors.Is(err, store.ErrNotFound) {
		return httpx.Errorf(http.StatusNotFound, "not_found", "User %d not found.", id)
	}
	if err != nil {
		return s.internal(r, err)
	}
	if err := resetTwoFactor(r.Context(), s.store, target, s.now(), rc.addr, fmt.Sprintf("by admin %s over the API", rc.user.Username)); err != nil {
		return s.internal(r, err)
	}
	httpx.WriteJSON(w, http.StatusOK, messageResponse{fmt.Sprintf("Two-factor authentication was reset for user %s.", target.Username), true})
	return nil
}
