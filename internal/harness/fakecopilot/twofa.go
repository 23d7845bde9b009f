package fakecopilot

import (
	"bytes"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base32"
	"encoding/base64"
	"errors"
	"fmt"
	"image/png"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"
)

// CoPilot's 2FA sentences (its services/totp.py and routes/totp.py).
const (
	MsgInvalidTOTP    = "Invalid authentication code."
	MsgInvalidBackup  = "Invalid backup code."
	MsgInvalidSetup   = "Invalid verification code. Check your authenticator app and device clock."
	MsgReused         = "This code has already been used. Wait for a new code."
	msgPendingExpired = "2FA verification token has expired. Please log in again."
	msgPendingInvalid = "Invalid 2FA verification token."
	msgNoCode         = "Provide a TOTP code or backup code."
	msgAlreadyOn      = "2FA is already enabled. Disable it first to reconfigure."
	msgVerifyAlready  = "2FA is already enabled."
	msgNoSetup        = "No 2FA setup found. Call setup first."
	msgNotOnForUser   = "2FA is not enabled for this user."
	msgNotOn          = "2FA is not enabled."
)

// errRefused carries a ValueError sentence of CoPilot's 2FA service.
type errRefused struct{ msg string }

func (e errRefused) Error() string { return e.msg }

func refused(msg string) error { return errRefused{msg} }

// step is the 30-second TOTP counter of t.
func step(t time.Time) int64 { return t.Unix() / 30 }

// lockoutMessage is _check_rate_limit: the lockout sentence with the seconds
// left, or "" when the account may try. A window older than 15 minutes is forgotten.
func (s *Server) lockoutMessage(id int64) string {
	f, ok := s.fails[id]
	if !ok {
		return ""
	}
	elapsed := s.now().Sub(f.first)
	if elapsed > LockoutSeconds*time.Second {
		delete(s.fails, id)
		return ""
	}
	if f.count >= MaxFailures {
		left := int((LockoutSeconds*time.Second - elapsed) / time.Second)
		return fmt.Sprintf("Too many failed 2FA attempts. Try again in %d seconds.", left)
	}
	return ""
}

// fail is _record_failure: one more failure in the window, or a new window.
func (s *Server) fail(id int64) {
	f, ok := s.fails[id]
	if !ok || s.now().Sub(f.first) > LockoutSeconds*time.Second {
		s.fails[id] = failures{count: 1, first: s.now()}
		return
	}
	f.count++
	s.fails[id] = f
}

// totpMatches is pyotp's verify with valid_window=1: the code of step T-1,
// T or T+1, compared in constant time.
func (s *Server) totpMatches(secret, code string) bool {
	ok := false
	for d := -1; d <= 1; d++ {
		want, err := totp.GenerateCodeCustom(secret, s.now().Add(time.Duration(d)*30*time.Second),
			totp.ValidateOpts{Period: 30, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1})
		if err == nil && subtle.ConstantTimeCompare([]byte(want), []byte(code)) == 1 {
			ok = true
		}
	}
	return ok
}

// checkFactor is validate_totp: a TOTP first (refused again inside the
// window of the last success, whatever step it is for), else a backup code
// compared exactly as issued after upper-casing and trimming.
func (s *Server) checkFactor(u *user, code, backup string) error {
	if msg := s.lockoutMessage(u.id); msg != "" {
		return refused(msg)
	}
	if code == "" && backup == "" {
		return refused("Provide either a TOTP code or a backup code.")
	}
	e := u.totp
	if e == nil || !e.enabled {
		return refused(msgNotOnForUser)
	}
	if code != "" {
		counter := step(s.now())
		if !s.totpMatches(e.secret, code) {
			s.fail(u.id)
			return refused(MsgInvalidTOTP)
		}
		if e.last >= 0 && counter <= e.last {
			s.fail(u.id)
			return refused(MsgReused)
		}
		e.last = counter
		delete(s.fails, u.id)
		return nil
	}
	sum := sha256.Sum256([]byte(strings.ToUpper(strings.TrimSpace(backup))))
	for i := range e.backup {
		if !e.backup[i].used && subtle.ConstantTimeCompare(sum[:], e.backup[i].hash[:]) == 1 {
			e.backup[i].used = true
			delete(s.fails, u.id)
			return nil
		}
	}
	s.fail(u.id)
	return refused(MsgInvalidBackup)
}

// answer sends a service refusal with the route's status, or a 500.
func answer(w http.ResponseWriter, status int, err error) {
	var r errRefused
	if errors.As(err, &r) {
		refuse(w, status, r.msg)
		return
	}
	refuse(w, http.StatusInternalServerError, "Internal Server Error")
}

func (s *Server) status(w http.ResponseWriter, r *http.Request) {
	u := s.twoFAUser(w, r)
	if u == nil {
		return
	}
	on := u.totp != nil && u.totp.enabled
	writeJSON(w, http.StatusOK, map[string]any{"enabled": on, "message": "2FA status retrieved", "success": true})
}

// setup starts (or restarts) enrollment; CoPilot reads no body here.
func (s *Server) setup(w http.ResponseWriter, r *http.Request) {
	u := s.twoFAUser(w, r)
	if u == nil {
		return
	}
	if u.totp != nil && u.totp.enabled {
		refuse(w, http.StatusBadRequest, msgAlreadyOn)
		return
	}
	raw := make([]byte, 20)
	if _, err := rand.Read(raw); err != nil {
		answer(w, 0, err)
		return
	}
	secret := base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(raw)
	uri := "otpauth://totp/" + url.PathEscape(Issuer) + ":" + url.PathEscape(u.name) + "?secret=" + secret + "&issuer=" + url.QueryEscape(Issuer)
	qr, err := qrDataURI(uri)
	if err != nil {
		answer(w, 0, err)
		return
	}
	codes, stored, err := newBackupCodes()
	if err != nil {
		answer(w, 0, err)
		return
	}
	u.totp = &enrolment{secret: secret, backup: stored, last: -1}
	writeJSON(w, http.StatusOK, map[string]any{"secret": secret, "otpauth_url": uri, "qr_data_uri": qr,
		"backup_codes": codes, "message": "Scan the QR code with your authenticator app, then verify with a code."})
}

// codeRequest opens verify-setup and regenerate: the signed-in user, the
// {"code"} body, and _check_rate_limit's 400. On refusal it has answered
// and returns nil.
func (s *Server) codeRequest(w http.ResponseWriter, r *http.Request) (*user, string) {
	u := s.twoFAUser(w, r)
	if u == nil {
		return nil, ""
	}
	b, ok := readJSON(w, r, []string{"code"}, nil)
	if !ok {
		return nil, ""
	}
	if msg := s.lockoutMessage(u.id); msg != "" {
		refuse(w, http.StatusBadRequest, msg)
		return nil, ""
	}
	return u, b.get("code")
}

func (s *Server) verifySetup(w http.ResponseWriter, r *http.Request) {
	u, code := s.codeRequest(w, r)
	if u == nil {
		return
	}
	switch e := u.totp; {
	case e == nil:
		refuse(w, http.StatusBadRequest, msgNoSetup)
	case e.enabled:
		refuse(w, http.StatusBadRequest, msgVerifyAlready)
	case !s.totpMatches(e.secret, code):
		s.fail(u.id)
		refuse(w, http.StatusBadRequest, MsgInvalidSetup)
	default:
		e.enabled, e.last = true, step(s.now())
		delete(s.fails, u.id)
		writeJSON(w, http.StatusOK, map[string]any{"message": "Two-factor authentication is now enabled.", "success": true})
	}
}

// validate completes a sign-in; the pending token is checked, never spent.
func (s *Server) validate(w http.ResponseWriter, r *http.Request) {
	b, ok := readJSON(w, r, []string{"temp_token"}, []string{"code", "backup_code"})
	if !ok {
		return
	}
	c, err := s.decode(b.get("temp_token"))
	switch {
	case errors.Is(err, errExpired):
		refuse(w, http.StatusUnauthorized, msgPendingExpired)
		return
	case err != nil:
		refuse(w, http.StatusUnauthorized, msgPendingInvalid)
		return
	case c.Type != pendingType:
		refuse(w, http.StatusUnauthorized, "Invalid token type")
		return
	}
	u := s.users[c.Sub]
	if u == nil {
		refuse(w, http.StatusUnauthorized, msgUserNotFound)
		return
	}
	if !s.factorOf(w, u, b, http.StatusUnauthorized) {
		return
	}
	s.signedInNow(u)
	writeJSON(w, http.StatusOK, map[string]any{"access_token": s.session(u, u.role == RoleCustomerUser), "token_type": "bearer"})
}

// factorOf checks the code or backup code of a validate or disable body
// (the route's 400 when there is neither); a refusal is answered with
// status, and false returned.
func (s *Server) factorOf(w http.ResponseWriter, u *user, b body, status int) bool {
	code, backup := b.get("code"), b.get("backup_code")
	if code == "" && backup == "" {
		refuse(w, http.StatusBadRequest, msgNoCode)
		return false
	}
	if err := s.checkFactor(u, code, backup); err != nil {
		answer(w, status, err)
		return false
	}
	return true
}

// disable is DELETE /2fa/disable with a JSON body: a code of either kind.
func (s *Server) disable(w http.ResponseWriter, r *http.Request) {
	u := s.twoFAUser(w, r)
	if u == nil {
		return
	}
	b, ok := readJSON(w, r, nil, []string{"code", "backup_code"})
	if !ok {
		return
	}
	if !s.factorOf(w, u, b, http.StatusBadRequest) {
		return
	}
	u.totp = nil
	writeJSON(w, http.StatusOK, map[string]any{"message": "Two-factor authentication has been disabled.", "success": true})
}

// regenerate replaces the backup codes after a TOTP check that, as in
// CoPilot, neither refuses a reused step nor records it.
func (s *Server) regenerate(w http.ResponseWriter, r *http.Request) {
	u, code := s.codeRequest(w, r)
	if u == nil {
		return
	}
	e := u.totp
	if e == nil || !e.enabled {
		refuse(w, http.StatusBadRequest, msgNotOn)
		return
	}
	if !s.totpMatches(e.secret, code) {
		s.fail(u.id)
		refuse(w, http.StatusBadRequest, MsgInvalidTOTP)
		return
	}
	codes, stored, err := newBackupCodes()
	if err != nil {
		answer(w, 0, err)
		return
	}
	e.backup = stored
	delete(s.fails, u.id)
	writeJSON(w, http.StatusOK, map[string]any{"backup_codes": codes,
		"message": "New backup codes generated. Save them — they are shown only once.", "success": true})
}

// adminReset is DELETE /security/users/{id}/totp: an admin removes a
// user's enrolment without a code (the failure count stays, as in CoPilot).
func (s *Server) adminReset(rawID string) handler {
	return func(w http.ResponseWriter, r *http.Request) {
		target := s.adminTarget(w, r, rawID)
		if target == nil {
			return
		}
		msg := "The user had no two-factor authentication configured."
		if target.totp != nil {
			target.totp = nil
			msg = "Two-factor authentication has been reset."
		}
		writeJSON(w, http.StatusOK, map[string]any{"success": true, "message": msg})
	}
}

// newBackupCodes makes CoPilot's 8 codes of 10 characters from A–Z and 0–9.
func newBackupCodes() ([]string, []backupCode, error) {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
	codes := make([]string, BackupCount)
	stored := make([]backupCode, BackupCount)
	buf := make([]byte, 1)
	for i := range codes {
		var b strings.Builder
		for b.Len() < BackupLength {
			if _, err := rand.Read(buf); err != nil {
				return nil, nil, err
			}
			if int(buf[0]) < 252 { // 252 = 7 × 36: no modulo bias
				b.WriteByte(alphabet[int(buf[0])%len(alphabet)])
			}
		}
		codes[i] = b.String()
		stored[i] = backupCode{hash: sha256.Sum256([]byte(codes[i]))}
	}
	return codes, stored, nil
}

// qrDataURI draws uri as a PNG QR code in a data URI, as CoPilot's setup does.
func qrDataURI(uri string) (string, error) {
	key, err := otp.NewKeyFromURL(uri)
	if err != nil {
		return "", err
	}
	img, err := key.Image(200, 200)
	if err != nil {
		return "", err
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		return "", err
	}
	return "data:image/png;base64," + base64.StdEncoding.EncodeToString(buf.Bytes()), nil
}
