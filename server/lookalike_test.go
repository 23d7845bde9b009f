package server_test

import (
	"strings"
	"testing"
)

// TestBackupCodeLookAlikes: a backup code typed from paper in lower case
// with o for 0 and i or l for 1 (letters the alphabet leaves out) signs in,
// and is then spent like the code itself; a wrong letter is still wrong.
func TestBackupCodeLookAlikes(t *testing.T) {
	forEachEnv(t, func(t *testing.T, e *env) {
		u := e.enroll("alice")
		code := ""
		for _, c := range u.codes {
			if strings.ContainsAny(c, "01") {
				code = c
				break
			}
		}
		if code == "" {
			t.Skipf("none of the %d codes has a 0 or a 1 (odds about 1 in 600): nothing to mistype", len(u.codes))
		}
		typed := strings.ToLower(strings.NewReplacer("0", "O", "1", "l").Replace(code))
		wrong := strings.ToLower(u.codes[len(u.codes)-1])
		wrong = wrong[:len(wrong)-1] + map[bool]string{true: "x", false: "y"}[!strings.HasSuffix(wrong, "x")]
		pt := e.pending(u)
		e.do("POST", "/api/auth/2fa/validate", "", map[string]string{"temp_token": pt, "backup_code": wrong}).want(t, 401, "invalid_code")
		pt = e.pending(u)
		e.do("POST", "/api/auth/2fa/validate", "", map[string]string{"temp_token": pt, "backup_code": typed}).want(t, 200, "")
		pt = e.pending(u)
		e.do("POST", "/api/auth/2fa/validate", "", map[string]string{"temp_token": pt, "backup_code": code}).want(t, 401, "invalid_code")
	})
}
