package server

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"image/png"
	"net/http"

	"github.com/twofa/twofa/server/auth"
	"github.com/twofa/twofa/server/httpx"
	"github.com/twofa/twofa/server/store"
)

// messageResponse is the {"message", "success"} answer.
type messageResponse struct {
	Message string `json:"message"`
	Success bool   `json:"success"`
}

// enrollment returns the account's enrollment, or ErrNotFound.
func (s *Server) enrollment(ctx context.Context, userID int64) (store.Enrollment, error) {
	return s.store.TwoFactor.Enrollment(ctx, s.store.DB(), userID)
}

// enabledSecret returns the decrypted secret of an account with 2FA on, or
// 409 not_enabled.
func (s *Server) enabledSecret(r *http.Request, userID int64) (string, *httpx.Error) {
	enr, err := s.enrollment(r.Context(), userID)
	if errors.Is(err, store.ErrNotFound) || (err == nil && enr.State != store.StateEnabled) {
		return "", httpx.Errorf(http.StatusConflict, "not_enabled", "Two-factor authentication is not enabled.")
	}
	if err != nil {
		return "", s.internal(r, err)
	}
	secret, err := s.ring.Decrypt(enr.SecretEnc)
	if err != nil {
		return "", s.internal(r, err)
	}
	return string(secret), nil
}

// handleStatus is GET /api/auth/2fa/status.
func (s *Server) handleStatus(w http.ResponseWriter, r *http.Request, rc *reqCtx) *httpx.Error {
	enr, err := s.enrollment(r.Context(), rc.user.ID)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return s.internal(r, err)
	}
	on := err == nil && enr.State == store.StateEnabled
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
	Message     string   `json:"message"`
}

// handleSetup is POST /api/auth/2fa/setup: after the password again, a new
// pending secret and backup codes replace any earlier pending enrollment.
func (s *Server) handleSetup(w http.ResponseWriter, r *http.Request, rc *reqCtx) *httpx.Error {
	var req setupRequest
	if e := httpx.DecodeJSON(w, r, &req, true); e != nil {
		return e
	}
	ctx := r.Context()
	enr, err := s.enrollment(ctx, rc.user.ID)
	if err == nil && enr.State == store.StateEnabled {
		return httpx.Errorf(http.StatusConflict, "already_enabled", "Two-factor authentication is already enabled.")
	}
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return s.internal(r, err)
	}
	if req.Password == nil || *req.Password == "" {
		return httpx.Errorf(http.StatusUnauthorized, "password_required", "Enter your password again to set up two-factor authentication.")
	}
	ok, err := auth.VerifyContext(ctx, *req.Password, rc.user.PasswordHash)
	if err != nil {
		return s.internal(r, err)
	}
	if !ok {
		s.audit(ctx, nil, rc.user, EventReauthFailed, rc.addr, "2fa setup")
		return httpx.Errorf(http.StatusUnauthorized, "invalid_password", "The password is incorrect.")
	}

	key, err := auth.NewTOTP(s.opts.Issuer, rc.user.Username)
	if err != nil {
		return s.internal(r, err)
	}
	img, err := key.Key.Image(256, 256)
	if err != nil {
		return s.internal(r, err)
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		return s.internal(r, err)
	}
	enc, err := s.ring.Encrypt([]byte(key.Secret))
	if err != nil {
		return s.internal(r, err)
	}
	shown, rows, err := s.newBackupSet(ctx, rc.user.ID)
	if err != nil {
		return s.internal(r, err)
	}
	err = s.store.Tx(ctx, func(h store.Handle) error {
		return s.store.TwoFactor.StartEnrollment(ctx, h, rc.user.ID, enc, rows, s.now())
	})
	if errors.Is(err, store.ErrConflict) {
		return httpx.Errorf(http.StatusConflict, "already_enabled", "Two-factor authentication is already enabled.")
	}
	if err != nil {
		return s.internal(r, err)
	}
	s.audit(ctx, nil, rc.user, EventSetupStarted, rc.addr, "")
	httpx.WriteJSON(w, http.StatusOK, setupResponse{
		Secret:      key.Secret,
		OTPAuthURL:  key.URL,
		QRDataURI:   "data:image/png;base64," + base64.StdEncoding.EncodeToString(buf.Bytes()),
		BackupCodes: shown,
		Message:     "Scan the QR code with your authenticator app, then verify a code to enable two-factor authentication.",
	})
	return nil
}

// codeRequest is the body of verify-setup and regenerate.
type codeRequest struct {
	Code *string `json:"code"`
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
func oneFactor(code, backup *string) (factor, *httpx.Error) {
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
// turns the pending enrollment on (and spends its time step).
func (s *Server) handleVerifySetup(w http.ResponseWriter, r *http.Request, rc *reqCtx) *httpx.Error {
	var req codeRequest
	if e := httpx.DecodeJSON(w, r, &req, false); e != nil {
		return e
	}
	if req.Code == nil || *req.Code == "" {
		return httpx.BadRequest("A code is required: send the 6-digit code from your authenticator app.")
	}
	ctx := r.Context()
	enr, err := s.enrollment(ctx, rc.user.ID)
	if errors.Is(err, store.ErrNotFound) {
		return httpx.Errorf(http.StatusBadRequest, "setup_required", "No two-factor setup is in progress. Start it with /api/auth/2fa/setup.")
	}
	if err != nil {
		return s.internal(r, err)
	}
	if enr.State == store.StateEnabled {
		return httpx.Errorf(http.StatusConflict, "already_enabled", "Two-factor authentication is already enabled.")
	}
	secret, err := s.ring.Decrypt(enr.SecretEnc)
	if err != nil {
		return s.internal(r, err)
	}
	e := s.verifyFactor(ctx, r, check{
		user: rc.user, secret: string(secret), in: factor{TOTP: *req.Code}, addr: rc.addr,
		route: "verify-setup", badStatus: http.StatusBadRequest,
		onSuccess: func(ctx context.Context, h store.Handle) error {
			if err := s.store.TwoFactor.Enable(ctx, h, rc.user.ID, s.now()); err != nil {
				if errors.Is(err, store.ErrNotFound) {
					return httpx.Errorf(http.StatusConflict, "already_enabled", "Two-factor authentication is already enabled.")
				}
				return err
			}
			return nil
		},
		event: EventTwoFactorEnabled,
	})
	if e != nil {
		return e
	}
	httpx.WriteJSON(w, http.StatusOK, messageResponse{"Two-factor authentication is now enabled.", true})
	return nil
}

// handleValidate is POST /api/auth/2fa/validate: the pending token plus a
// TOTP or backup code give a new session token; the pending token is spent.
func (s *Server) handleValidate(w http.ResponseWriter, r *http.Request, rc *reqCtx) *httpx.Error {
	var req validateRequest
	if e := httpx.DecodeJSON(w, r, &req, false); e != nil {
		return e
	}
	if req.TempToken == nil || *req.TempToken == "" {
		return httpx.BadRequest("temp_token is required: sign in with your password first.")
	}
	in, e := oneFactor(req.Code, req.BackupCode)
	if e != nil {
		return e
	}
	ctx := r.Context()
	pendingHash := auth.HashToken(*req.TempToken)
	expired := httpx.Errorf(http.StatusUnauthorized, "pending_expired", "Your sign-in has expired or was already used. Sign in again with your password.")
	tok, err := s.store.Tokens.Lookup(ctx, s.store.DB(), pendingHash, s.now())
	if errors.Is(err, store.ErrNotFound) || (err == nil && tok.Kind != store.KindPending) {
		return expired
	}
	if err != nil {
		return s.internal(r, err)
	}
	u, err := s.store.Users.ByID(ctx, s.store.DB(), tok.UserID)
	if errors.Is(err, store.ErrNotFound) {
		return expired
	}
	if err != nil {
		return s.internal(r, err)
	}
	secret, e := s.enabledSecret(r, u.ID)
	if e != nil {
		return e
	}
	session, sessionHash, err := auth.NewToken()
	if err != nil {
		return s.internal(r, err)
	}
	method := "totp"
	if in.Backup != "" {
		method = "backup_code"
	}
	e = s.verifyFactor(ctx, r, check{
		user: u, secret: secret, in: in, addr: rc.addr, route: "validate", badStatus: http.StatusUnauthorized,
		onSuccess: func(ctx context.Context, h store.Handle) error {
			now := s.now()
			if _, err := s.store.Tokens.ConsumePending(ctx, h, pendingHash, now); err != nil {
				if errors.Is(err, store.ErrNotFound) {
					return expired
				}
				return err
			}
			return s.store.Tokens.Insert(ctx, h, sessionHash, u.ID, store.KindSession, now, now.Add(s.opts.AccessTTL))
		},
		event: EventSignInOK, detail: method,
	})
	if e != nil {
		return e
	}
	httpx.WriteJSON(w, http.StatusOK, tokenResponse{AccessToken: session, TokenType: "bearer"})
	return nil
}

// handleDisable is DELETE /api/auth/2fa/disable with a JSON body: a current
// TOTP or a backup code; the secret and every backup code are deleted.
func (s *Server) handleDisable(w http.ResponseWriter, r *http.Request, rc *reqCtx) *httpx.Error {
	var req factorRequest
	if e := httpx.DecodeJSON(w, r, &req, false); e != nil {
		return e
	}
	in, e := oneFactor(req.Code, req.BackupCode)
	if e != nil {
		return e
	}
	secret, e := s.enabledSecret(r, rc.user.ID)
	if e != nil {
		return e
	}
	ctx := r.Context()
	e = s.verifyFactor(ctx, r, check{
		user: rc.user, secret: secret, in: in, addr: rc.addr, route: "disable", badStatus: http.StatusBadRequest,
		onSuccess: func(ctx context.Context, h store.Handle) error {
			_, err := s.store.TwoFactor.Remove(ctx, h, rc.user.ID)
			return err
		},
		event: EventTwoFactorDisabled,
	})
	if e != nil {
		return e
	}
	httpx.WriteJSON(w, http.StatusOK, messageResponse{"Two-factor authentication has been disabled.", true})
	return nil
}

// handleRegenerate is POST /api/auth/2fa/backup-codes/regenerate: a current
// TOTP replaces the whole set; every earlier code is dead at once.
func (s *Server) handleRegenerate(w http.ResponseWriter, r *http.Request, rc *reqCtx) *httpx.Error {
	var req codeRequest
	if e := httpx.DecodeJSON(w, r, &req, false); e != nil {
		return e
	}
	if req.Code == nil || *req.Code == "" {
		return httpx.BadRequest("A code is required: send the 6-digit code from your authenticator app.")
	}
	secret, e := s.enabledSecret(r, rc.user.ID)
	if e != nil {
		return e
	}
	var shown []string
	var rows []store.NewBackupCode
	ctx := r.Context()
	e = s.verifyFactor(ctx, r, check{
		user: rc.user, secret: secret, in: factor{TOTP: *req.Code}, addr: rc.addr, route: "regenerate", badStatus: http.StatusBadRequest,
		prepare: func() (err error) {
			shown, rows, err = s.newBackupSet(ctx, rc.user.ID)
			return err
		},
		onSuccess: func(ctx context.Context, h store.Handle) error {
			return s.store.TwoFactor.ReplaceBackupCodes(ctx, h, rc.user.ID, rows, s.now())
		},
		event: EventCodesRegenerated,
	})
	if e != nil {
		return e
	}
	httpx.WriteJSON(w, http.StatusOK, struct {
		BackupCodes []string `json:"backup_codes"`
		Message     string   `json:"message"`
		Success     bool     `json:"success"`
	}{shown, "New backup codes generated. Every earlier code no longer works.", true})
	return nil
}
