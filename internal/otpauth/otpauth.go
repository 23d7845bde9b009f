// Package otpauth builds the otpauth:// URI of a TOTP key (Key Uri Format)
// in its shortest form, shared by the reference server, which issues it,
// and the client, which draws it as a QR code.
package otpauth

import (
	"net/url"
	"strings"
)

// URI is the TOTP URI of secret for account under issuer: the label
// "issuer:account" (the account alone without an issuer), then issuer and
// secret — the secret last and in upper case, so a QR code can carry it as
// one alphanumeric segment. algorithm=SHA1, digits=6 and period=30 are left
// out: they are the defaults every authenticator app assumes, and the only
// parameters twofa's codes use.
func URI(secret, issuer, account string) string {
	label := account
	q := url.Values{"secret": {strings.ToUpper(strings.TrimRight(secret, "="))}}
	if issuer != "" {
		label = issuer + ":" + account
		q.Set("issuer", issuer)
	}
	u := url.URL{Scheme: "otpauth", Host: "totp", Path: "/" + label, RawQuery: q.Encode()}
	return u.String()
}
