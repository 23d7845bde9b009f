package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"time"
)

// api is a minimal raw-HTTP driver of the account API for load: no retries,
// no client-side normalisation, so every request is exactly one the server
// has to answer.
type api struct {
	base string // "http://127.0.0.1:PORT/api"
	hc   *http.Client
}

// newAPI returns a driver for base with a keep-alive pool sized for conc
// concurrent requests.
func newAPI(base string, conc int) *api {
	tr := &http.Transport{
		MaxIdleConns:        conc * 2,
		MaxIdleConnsPerHost: conc * 2,
		MaxConnsPerHost:     0,
		IdleConnTimeout:     90 * time.Second,
		DisableCompression:  true,
	}
	return &api{base: strings.TrimRight(base, "/") + "/api", hc: &http.Client{Transport: tr, Timeout: 60 * time.Second}}
}

// apiReply is a response's status, machine code and decoded body.
type apiReply struct {
	Status int
	Code   string
	Body   map[string]any
}

// do sends one request and decodes the JSON answer, if any.
func (a *api) do(ctx context.Context, method, path, ctype string, body io.Reader, token string) (apiReply, error) {
	req, err := http.NewRequestWithContext(ctx, method, a.base+path, body)
	if err != nil {
		return apiReply{}, fmt.Errorf("build %s %s: %w", method, path, err)
	}
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := a.hc.Do(req)
	if err != nil {
		return apiReply{}, fmt.Errorf("%s %s: %w", method, path, err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return apiReply{}, fmt.Errorf("read %s %s: %w", method, path, err)
	}
	r := apiReply{Status: resp.StatusCode}
	if len(raw) > 0 {
		if err := json.Unmarshal(raw, &r.Body); err != nil {
			return r, fmt.Errorf("%s %s: status %d, body is not JSON", method, path, resp.StatusCode)
		}
		r.Code, _ = r.Body["code"].(string)
	}
	return r, nil
}

// postJSON sends v as a JSON body.
func (a *api) postJSON(ctx context.Context, method, path string, v any, token string) (apiReply, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return apiReply{}, fmt.Errorf("encode body: %w", err)
	}
	return a.do(ctx, method, path, "application/json", bytes.NewReader(b), token)
}

// login signs in with a password; it returns the token and whether it is a
// pending (second factor required) one.
func (a *api) login(ctx context.Context, user, pass string) (token string, pending bool, err error) {
	form := url.Values{"username": {user}, "password": {pass}}.Encode()
	r, err := a.do(ctx, http.MethodPost, "/auth/token", "application/x-www-form-urlencoded", strings.NewReader(form), "")
	if err != nil {
		return "", false, err
	}
	if r.Status != http.StatusOK {
		return "", false, fmt.Errorf("sign-in: status %d code %q", r.Status, r.Code)
	}
	token, _ = r.Body["access_token"].(string)
	pending, _ = r.Body["requires_2fa"].(bool)
	if token == "" {
		return "", false, fmt.Errorf("sign-in: no access_token in the answer")
	}
	return token, pending, nil
}

// setup starts enrollment and returns the secret and backup codes.
func (a *api) setup(ctx context.Context, session, pass string) (secret string, codes []string, err error) {
	r, err := a.postJSON(ctx, http.MethodPost, "/auth/2fa/setup", map[string]string{"password": pass}, session)
	if err != nil {
		return "", nil, err
	}
	if r.Status != http.StatusOK {
		return "", nil, fmt.Errorf("2fa setup: status %d code %q", r.Status, r.Code)
	}
	secret, _ = r.Body["secret"].(string)
	list, _ := r.Body["backup_codes"].([]any)
	for _, c := range list {
		if s, ok := c.(string); ok {
			codes = append(codes, s)
		}
	}
	if secret == "" || len(codes) == 0 {
		return "", nil, fmt.Errorf("2fa setup: answer lacks secret or backup codes")
	}
	return secret, codes, nil
}

// verifySetup turns 2FA on with a TOTP code.
func (a *api) verifySetup(ctx context.Context, session, code string) error {
	r, err := a.postJSON(ctx, http.MethodPost, "/auth/2fa/verify-setup", map[string]string{"code": code}, session)
	if err != nil {
		return err
	}
	if r.Status != http.StatusOK {
		return fmt.Errorf("2fa verify-setup: status %d code %q", r.Status, r.Code)
	}
	return nil
}

// validateTOTP completes a pending sign-in with a TOTP code.
func (a *api) validateTOTP(ctx context.Context, pending, code string) (apiReply, error) {
	return a.postJSON(ctx, http.MethodPost, "/auth/2fa/validate", map[string]string{"temp_token": pending, "code": code}, "")
}

// validateBackup completes a pending sign-in with a backup code.
func (a *api) validateBackup(ctx context.Context, pending, code string) (apiReply, error) {
	return a.postJSON(ctx, http.MethodPost, "/auth/2fa/validate", map[string]string{"temp_token": pending, "backup_code": code}, "")
}

// handlerTransport serves requests straight from an in-process handler, with
// no network: used only to prepare accounts before the measured runs.
type handlerTransport struct{ h http.Handler }

// RoundTrip runs the request through the handler and returns its recording.
func (t handlerTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	rec := httptest.NewRecorder()
	if req.RemoteAddr == "" {
		req.RemoteAddr = "127.0.0.1:40000"
	}
	t.h.ServeHTTP(rec, req)
	return rec.Result(), nil
}

// newInProcessAPI returns a driver that calls h directly.
func newInProcessAPI(h http.Handler) *api {
	return &api{base: "http://in-process/api", hc: &http.Client{Transport: handlerTransport{h}}}
}
