//go:build benchfloor

// This file exists only in builds with the benchfloor tag, which the bench
// harness makes for itself (go run ./bench); a normal build of twofa has no
// such route. It gives validate_vs_http_floor its floor: what
// POST /api/auth/2fa/validate costs without its work, in the same process,
// behind the same http.Server, request log, mux and route wrapper, with the
// same body decoding and the same answer type.

package server

import (
	"fmt"
	"net/http"

	"github.com/twofa/twofa/server/httpx"
)

// FloorPattern is the floor route: validate's own path under /floor, so the
// real client's ValidateTOTP reaches it when its server URL ends in /floor.
const FloorPattern = "/floor/api/auth/2fa/validate"

func init() {
	routeTable = append(routeTable, routeDef{Route{http.MethodPost, FloorPattern, AuthPending}, (*Server).handleAcceptStepFloor})
}

// handleAcceptStepFloor decodes a validate body whose temp_token is
// "USERID:STEP", runs the one conditional UPDATE that accepts a TOTP step,
// and answers a token like validate does; a step not above the last one is
// answered as a replay. The code is not checked.
func (s *Server) handleAcceptStepFloor(w http.ResponseWriter, r *http.Request, _ *reqCtx) error {
	var req validateRequest
	if e := httpx.DecodeJSON(w, r, &req, false); e != nil {
		return e
	}
	var id, step int64
	if req.TempToken == nil {
		return httpx.BadRequest("temp_token is required")
	}
	if _, err := fmt.Sscanf(*req.TempToken, "%d:%d", &id, &step); err != nil {
		return httpx.BadRequest("temp_token must be USERID:STEP")
	}
	ok, err := s.store.TwoFactor.AcceptStep(r.Context(), s.store.DB(), id, step)
	if err != nil {
		return err
	}
	if !ok {
		return ErrReplay
	}
	httpx.WriteJSON(w, http.StatusOK, tokenResponse{AccessToken: *req.TempToken, TokenType: "bearer"})
	return nil
}
