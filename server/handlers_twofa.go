package server

import (
	"encoding/base64"
	"net/http"

	"github.com/twofa/twofa/server/httpx"
)

// changeResponse is the answer of a change that ends the account's other
// sessions: {"message", "success"} and, [ext], how many sessions it ended,
// which the message says too when there were any.
type changeResponse struct {
	Message              string `json:"message"`
	Success              bool   `json:"success"`
	OtherSessionsRevoked int    `json:"other_sessions_revoked"`
}

// changed is the changeResponse of message with n sessions ended.
func changed(message string, n int) changeResponse {
	return changeResponse{Message: message + signedOut(n, "other session"), Success: true, OtherSessionsRevoked: n}
}

// signedOut is the sentence that adds n ended sessions to a message: ""
// for none, else " 1 <noun> was signed out." or " N <noun>s were signed out."
func signedOut(n int, noun string) string {
	switch n {
	case 0:
		return ""
	case 1:
		return " 1 " + noun + " was signed out."
	}
	return " " + count(n, noun) + " were signed out."
}

// handleStatus is GET /api/auth/2fa/status.
func (s *Server) handleStatus(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	on, err := s.twoFactorOn(r.Context(), rc.user.ID)
	if err != nil {
		return err
	}
	msg := "Two-factor authentication is not enabled."
	if on {
		msg = "Two-factor authentication is enabled."
	}
	httpx.WriteJSON(w, http.StatusOK, struct {
		Enabled bool   `json:"enabled"`
		Message string `json:"message"`
		Success bool   `json:"success"`
	}{on, msg, true})
	return nil
}

// setupRequest is the [ext] body of /2fa/setup.
type setupRequest struct {
	Password *string `json:"password"`
}

// setupResponse is the answer of /2fa/setup.
type setupResponse struct {
	Secret      string   `json:"secret"`
	OTPAuthURL  string   `json:"otpauth_url"`
	QRDataURI   string   `json:"qr_data_uri"`
	BackupCodes []string `json:"backup_codes"`
	// AnyForm [ext] tells the client that typed codes ignore dashes,
	// spaces and case here, so it may group them for reading.
	AnyForm bool   `json:"backup_codes_any_form"`
	Message string `json:"message"`
}

// handleSetup is POST /api/auth/2fa/setup: after the password again, a new
// pending secret and backup codes replace any earlier pending enrollment.
func (s *Server) handleSetup(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	var req setupRequest
	if e := httpx.DecodeJSON(w, r, &req, true); e != nil {
		return e
	}
	password := ""
	if req.Password != nil {
		password = *req.Password
	}
	enr, err := s.startSetup(r.Context(), rc.user, password, rc.addr)
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, setupResponse{
		Secret:      enr.secret,
		OTPAuthURL:  enr.url,
		QRDataURI:   "data:image/png;base64," + base64.StdEncoding.EncodeToString(enr.qrPNG),
		BackupCodes: enr.backupCodes,
		AnyForm:     true,
		Message:     "Scan the QR code with your authenticator app, then verify a code to enable two-factor authentication.",
	})
	return nil
}

// codeRequest is the body of verify-setup and regenerate.
type codeRequest struct {
	Code *string `json:"code"`
}

// totpCode decodes a codeRequest and returns its code, which must be there.
func totpCode(w http.ResponseWriter, r *http.Request) (string, error) {
	var req codeRequest
	if e := httpx.DecodeJSON(w, r, &req, false); e != nil {
		return "", e
	}
	if req.Code == nil || *req.Code == "" {
		return "", httpx.BadRequest("A code is required: send the 6-digit code from your authenticator app.")
	}
	return *req.Code, nil
}

// factorRequest is the body of disable: a TOTP code or a backup code.
type factorRequest struct {
	Code       *string `json:"code"`
	BackupCode *string `json:"backup_code"`
}

// validateRequest is the body of /2fa/validate.
type validateRequest struct {
	TempToken  *string `json:"temp_token"`
	Code       *string `json:"code"`
	BackupCode *string `json:"backup_code"`
}

// oneFactor checks that exactly one of code and backup code was sent.
func oneFactor(code, backup *string) (factor, error) {
	hasCode := code != nil && *code != ""
	hasBackup := backup != nil && *backup != ""
	switch {
	case hasCode && hasBackup:
		return factor{}, httpx.BadRequest("Send either code or backup_code, not both.")
	case hasCode:
		return factor{TOTP: *code}, nil
	case hasBackup:
		return factor{Backup: *backup}, nil
	default:
		return factor{}, httpx.BadRequest("A code is required: send code (authenticator) or backup_code.")
	}
}

// handleVerifySetup is POST /api/auth/2fa/verify-setup: the first code
// turns the pending enrollment on (and spends its time step); every other
// session of the account ends.
func (s *Server) handleVerifySetup(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	code, err := totpCode(w, r)
	if err != nil {
		return err
	}
	n, err := s.verifySetup(r.Context(), rc.user, rc.token.Family, code, rc.addr)
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, changed("Two-factor authentication is now enabled.", n))
	return nil
}

// handleValidate is POST /api/auth/2fa/validate: the pending token plus a
// TOTP or backup code give a new session token; the pending token is spent.
func (s *Server) handleValidate(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	var req validateRequest
	if e := httpx.DecodeJSON(w, r, &req, false); e != nil {
		return e
	}
	if req.TempToken == nil || *req.TempToken == "" {
		return httpx.BadRequest("temp_token is required: sign in with your password first.")
	}
	in, err := oneFactor(req.Code, req.BackupCode)
	if err != nil {
		return err
	}
	session, err := s.completeSignIn(r.Context(), *req.TempToken, in, rc.addr)
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, tokenResponse{AccessToken: session, TokenType: "bearer"})
	return nil
}

// handleDisable is DELETE /api/auth/2fa/disable with a JSON body: a current
// TOTP or a backup code; the secret and every backup code are deleted, and
// every other session of the account ends.
func (s *Server) handleDisable(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	var req factorRequest
	if e := httpx.DecodeJSON(w, r, &req, false); e != nil {
		return e
	}
	in, err := oneFactor(req.Code, req.BackupCode)
	if err != nil {
		return err
	}
	n, err := s.disable(r.Context(), rc.user, rc.token.Family, in, rc.addr)
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, changed("Two-factor authentication has been disabled.", n))
	return nil
}

// regenerateResponse is the answer of regenerate: the new codes, shown once.
type regenerateResponse struct {
	BackupCodes []string `json:"backup_codes"`
	AnyForm     bool     `json:"backup_codes_any_form"` // [ext], as in setupResponse
	changeResponse
}

// handleRegenerate is POST /api/auth/2fa/backup-codes/regenerate: a current
// TOTP replaces the whole set; every earlier code is dead at once, and
// every other session of the account ends.
func (s *Server) handleRegenerate(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	code, err := totpCode(w, r)
	if err != nil {
		return err
	}
	shown, n, err := s.regenerate(r.Context(), rc.user, rc.token.Family, code, rc.addr)
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, regenerateResponse{BackupCodes: shown, AnyForm: true, changeResponse: changed("New backup codes generated. Every earlier code no longer works.", n)})
	return nil
}
