package client

import (
	"encoding/base32"
	"fmt"
	"net/url"
	"strings"
	"unicode/utf8"

	"github.com/twofa/twofa/internal/otpauth"
	"github.com/twofa/twofa/internal/safetext"
)

// minSecretLen is the shortest base32 secret accepted: 16 characters, 80
// bits, what older authenticator apps were given (RFC 4226 asks for 128).
const minSecretLen = 16

// checkSetup checks a setup answer decode already cleaned: a base32
// secret, backup codes that are not empty, and an otpauth URI (checked by
// checkOTPAuth, which fills Issuer and Account and may rebuild the URI).
func checkSetup(out *SetupResult) *BadField {
	if out.Secret == "" {
		return &BadField{Field: "secret", Problem: FieldMissing}
	}
	if !isBase32(out.Secret) {
		return &BadField{Field: "secret", Problem: FieldNotBase32}
	}
	if out.OTPAuthURL == "" {
		return &BadField{Field: "otpauth_url", Problem: FieldMissing}
	}
	if bf := checkCodes(out.BackupCodes); bf != nil {
		return bf
	}
	return checkOTPAuth(out)
}

// checkCodes refuses an empty backup code (decode has checked the rest).
func checkCodes(list []string) *BadField {
	for i, c := range list {
		if c == "" {
			return &BadField{Field: fmt.Sprintf("backup_codes[%d]", i), Problem: FieldMissing}
		}
	}
	return nil
}

// isBase32 reports whether s is a base32 secret (RFC 4648, either case,
// padding optional) of at least minSecretLen characters.
func isBase32(s string) bool {
	raw := strings.ToUpper(strings.TrimRight(s, "="))
	if len(raw) < minSecretLen {
		return false
	}
	_, err := base32.StdEncoding.WithPadding(base32.NoPadding).DecodeString(raw)
	return err == nil
}

// sameSecret compares two base32 spellings of one secret.
func sameSecret(a, b string) bool {
	norm := func(s string) string { return strings.ToUpper(strings.TrimRight(s, "=")) }
	return norm(a) == norm(b)
}

// otpauthParams are the query parameters of a TOTP URI twofa keeps as they
// are; a URI with any other is rebuilt without it — algorithm, digits and
// period too, once checked to be the defaults (otpauth.URI leaves them out,
// for a smaller QR code).
var otpauthParams = map[string]bool{"secret": true, "issuer": true}

// checkOTPAuth checks out.OTPAuthURL (visible ASCII, decode made sure):
// otpauth://totp/ with a label naming the account, the answer's secret,
// and SHA-1, 6 digits and 30 seconds where it names them — the only codes
// twofa and the rules of api.md know. It sets out.Issuer and out.Account
// from the URI, cleaned, and replaces the URI with one rebuilt from its
// checked parts (otpauth.URI, the shortest form) unless the server's was
// already that clean, so the QR code gives an authenticator app no text
// twofa would not show, and is as small as it can be.
func checkOTPAuth(out *SetupResult) *BadField {
	bad := func(p FieldProblem) *BadField { return &BadField{Field: "otpauth_url", Problem: p} }
	u, err := url.Parse(out.OTPAuthURL)
	if err != nil || !strings.EqualFold(u.Scheme, "otpauth") || !strings.EqualFold(u.Host, "totp") || u.Opaque != "" {
		return bad(FieldNotTOTPURI)
	}
	q, err := url.ParseQuery(u.RawQuery)
	if err != nil {
		return bad(FieldNotTOTPURI)
	}
	if !sameSecret(q.Get("secret"), out.Secret) {
		return bad(FieldMismatch)
	}
	if a := q.Get("algorithm"); a != "" && !strings.EqualFold(a, "SHA1") ||
		q.Has("digits") && q.Get("digits") != "6" || q.Has("period") && q.Get("period") != "30" {
		return bad(FieldUnsupported)
	}
	label, issuer := strings.TrimPrefix(u.Path, "/"), q.Get("issuer")
	prefix, account, found := strings.Cut(label, ":")
	switch {
	case issuer != "" && strings.HasPrefix(label, issuer+":"):
		prefix, account = issuer, label[len(issuer)+1:]
	case !found:
		prefix, account = "", label
	}
	if issuer == "" {
		issuer = prefix
	}
	clean := true
	for _, part := range []*string{&issuer, &account} {
		shown := safetext.Line(*part)
		if utf8.RuneCountInString(shown) > MaxNameLen {
			return &BadField{Field: "otpauth_url", Problem: FieldTooLong, Limit: MaxNameLen, Got: utf8.RuneCountInString(shown)}
		}
		clean = clean && shown == *part
		*part = shown
	}
	if account == "" {
		return bad(FieldNotTOTPURI)
	}
	for k := range q {
		clean = clean && otpauthParams[k]
	}
	clean = clean && q.Get("secret") == strings.ToUpper(strings.TrimRight(out.Secret, "="))
	out.Issuer, out.Account = issuer, account
	if !clean || prefix != "" && prefix != issuer {
		out.OTPAuthURL = otpauth.URI(out.Secret, issuer, account)
	}
	if n := len(out.OTPAuthURL); n > maxOTPAuthLen {
		// Percent-encoding can make a rebuilt URI longer than the server's.
		return &BadField{Field: "otpauth_url", Problem: FieldTooLong, Limit: maxOTPAuthLen, Got: n}
	}
	return nil
}

// maxOTPAuthLen bounds the otpauth URI (its text tag says the same), well
// inside what a QR code holds.
const maxOTPAuthLen = 2048
