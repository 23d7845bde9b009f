package otpauth

import (
	"net/url"
	"strings"
	"testing"
)

func TestURI(t *testing.T) {
	tests := []struct {
		secret, issuer, account, want string
	}{
		{"JBSWY3DPEHPK3PXP", "twofa", "demo", "otpauth://totp/twofa:demo?issuer=twofa&secret=JBSWY3DPEHPK3PXP"},
		{"jbswy3dpehpk3pxp====", "", "bob", "otpauth://totp/bob?secret=JBSWY3DPEHPK3PXP"},
		{"JBSWY3DPEHPK3PXP", "twofa", "firstname.lastname@example.com", "otpauth://totp/twofa:firstname.lastname@example.com?issuer=twofa&secret=JBSWY3DPEHPK3PXP"},
		{"JBSWY3DPEHPK3PXP", "Acme Co", "José 山田", "otpauth://totp/Acme%20Co:Jos%C3%A9%20%E5%B1%B1%E7%94%B0?issuer=Acme+Co&secret=JBSWY3DPEHPK3PXP"},
	}
	for _, tt := range tests {
		got := URI(tt.secret, tt.issuer, tt.account)
		if got != tt.want {
			t.Errorf("URI(%q, %q, %q) = %q, want %q", tt.secret, tt.issuer, tt.account, got, tt.want)
		}
		u, err := url.Parse(got)
		if err != nil {
			t.Fatal(err)
		}
		label := strings.TrimPrefix(u.Path, "/")
		if tt.issuer != "" {
			label = strings.TrimPrefix(label, tt.issuer+":")
		}
		if label != tt.account || u.Query().Get("issuer") != tt.issuer || strings.Contains(got, "algorithm") || strings.Contains(got, "digits") || strings.Contains(got, "period") {
			t.Errorf("URI %q does not read back to account %q, issuer %q without defaults", got, tt.account, tt.issuer)
		}
	}
}
