package fakecopilot

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"
)

// Enroll turns 2FA on for an existing account the way CoPilot's web app
// does — POST /2fa/setup, then /2fa/verify-setup with the current code,
// through this server's own routes — and returns the secret and the backup
// codes as issued. The current 30-second window is then spent, as after a
// real enrolment.
func (s *Server) Enroll(name string) (secret string, backup []string, err error) {
	s.mu.Lock()
	u := s.users[name]
	var tok string
	if u != nil {
		tok = s.session(u, u.role == RoleCustomerUser)
	}
	s.mu.Unlock()
	if u == nil {
		return "", nil, fmt.Errorf("fakecopilot: no user %q", name)
	}
	var setup struct {
		Secret      string   `json:"secret"`
		BackupCodes []string `json:"backup_codes"`
	}
	if err := s.inProcess(http.MethodPost, "/api/auth/2fa/setup", tok, "", &setup); err != nil {
		return "", nil, err
	}
	code, err := totp.GenerateCodeCustom(setup.Secret, s.clock(), totp.ValidateOpts{Period: 30, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1})
	if err != nil {
		return "", nil, err
	}
	body, _ := json.Marshal(map[string]string{"code": code})
	if err := s.inProcess(http.MethodPost, "/api/auth/2fa/verify-setup", tok, string(body), nil); err != nil {
		return "", nil, err
	}
	return setup.Secret, setup.BackupCodes, nil
}

// clock reads the server's clock under its lock.
func (s *Server) clock() time.Time {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.now()
}

// inProcess sends one request to the server's own handler and decodes a
// 200 answer into out.
func (s *Server) inProcess(method, path, token, body string, out any) error {
	req := httptest.NewRequest(method, path, strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, req)
	if rec.Code != http.StatusOK {
		return fmt.Errorf("fakecopilot: %s %s: %d %s", method, path, rec.Code, strings.TrimSpace(rec.Body.String()))
	}
	if out == nil {
		return nil
	}
	return json.Unmarshal(rec.Body.Bytes(), out)
}

// WebBackupSignIn signs in at the CoPilot at serverURL the way its own web
// page does — the password form, then the backup code sent exactly as
// typed, without twofa's clean-up — and returns the status of /2fa/validate.
func WebBackupSignIn(serverURL, user, password, code string) (int, error) {
	resp, err := http.PostForm(serverURL+"/api/auth/token", url.Values{"username": {user}, "password": {password}})
	if err != nil {
		return 0, err
	}
	var lr struct {
		AccessToken string `json:"access_token"`
	}
	err = json.NewDecoder(resp.Body).Decode(&lr)
	resp.Body.Close()
	if err != nil {
		return 0, fmt.Errorf("sign-in answer: %w", err)
	}
	body, _ := json.Marshal(map[string]string{"temp_token": lr.AccessToken, "backup_code": code})
	resp, err = http.Post(serverURL+"/api/auth/2fa/validate", "application/json", bytes.NewReader(body))
	if err != nil {
		return 0, err
	}
	resp.Body.Close()
	return resp.StatusCode, nil
}
