package fakecopilot

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"strings"
	"time"
)

// claims are the JWT claims CoPilot puts in its tokens.
type claims struct {
	Sub           string   `json:"sub"`
	Exp           int64    `json:"exp"`
	Iat           int64    `json:"iat"`
	Type          string   `json:"type,omitempty"`   // "2fa_pending" for the pending token
	Scopes        []string `json:"scopes,omitempty"` // the role, on a session token
	CustomerCodes []string `json:"customer_codes,omitempty"`
}

// pendingType marks CoPilot's half-signed-in token.
const pendingType = "2fa_pending"

var (
	errExpired = errors.New("Signature has expired")
	errInvalid = errors.New("Invalid token")
)

var jwtHeader = base64.RawURLEncoding.EncodeToString([]byte(`{"alg":"HS256","typ":"JWT"}`))

// sign returns an HS256 JWT of c.
func (s *Server) sign(c claims) string {
	body, _ := json.Marshal(c)
	head := jwtHeader + "." + base64.RawURLEncoding.EncodeToString(body)
	return head + "." + base64.RawURLEncoding.EncodeToString(s.mac(head))
}

func (s *Server) mac(data string) []byte {
	m := hmac.New(sha256.New, s.key)
	m.Write([]byte(data))
	return m.Sum(nil)
}

// session issues a session token for u, as encode_token does.
func (s *Server) session(u *user, customer bool) string {
	now := s.now()
	c := claims{Sub: u.name, Exp: now.Add(SessionTTL).Unix(), Iat: now.Unix(), Scopes: []string{string(u.role)}}
	if customer {
		c.CustomerCodes = []string{}
	}
	return s.sign(c)
}

// pending issues the 5-minute token accepted only by /2fa/validate.
func (s *Server) pending(u *user) string {
	now := s.now()
	return s.sign(claims{Sub: u.name, Exp: now.Add(PendingTTL).Unix(), Iat: now.Unix(), Type: pendingType})
}

// decode checks tok's signature and expiry (PyJWT's jwt.decode) and returns
// its claims: errExpired or errInvalid otherwise.
func (s *Server) decode(tok string) (claims, error) {
	var c claims
	parts := strings.Split(tok, ".")
	if len(parts) != 3 || parts[0] != jwtHeader {
		return c, errInvalid
	}
	sig, err := base64.RawURLEncoding.DecodeString(parts[2])
	if err != nil || !hmac.Equal(sig, s.mac(parts[0]+"."+parts[1])) {
		return c, errInvalid
	}
	body, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil || json.Unmarshal(body, &c) != nil {
		return c, errInvalid
	}
	if !s.now().Before(time.Unix(c.Exp, 0)) {
		return c, errExpired
	}
	return c, nil
}
