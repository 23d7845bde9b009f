package server_test

import (
	"context"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/twofa/twofa/server"
)

// TestNoSecretsAtRest drives a full cycle, collecting every password, seed,
// otpauth URI, backup code, TOTP code and token that crossed the wire, then
// scans the database (raw SQLite files, and a text dump of every table on
// both backends) and the request log: none may appear.
func TestNoSecretsAtRest(t *testing.T) {
	forEachEnv(t, func(t *testing.T, e *env) {
		var long, short []string // long secrets: substring scan; TOTP codes: whole-number scan
		u := e.enroll("scan")
		long = append(long, u.pass, u.secret, u.session)
		for _, c := range u.codes {
			long = append(long, c, strings.ReplaceAll(c, "-", ""))
		}
		// One more setup answer's URI, on a second account.
		e.user("scan2", "scan2 password!", "user")
		s2 := e.login("scan2", "scan2 password!").str("access_token")
		setup := e.do("POST", "/api/auth/2fa/setup", s2, map[string]string{"password": "scan2 password!"}).want(t, 200, "")
		long = append(long, "scan2 password!", s2, setup.str("otpauth_url"), setup.str("secret"))
		code := totpAt(t, setup.str("secret"), e.clk.Now())
		short = append(short, code)
		e.do("POST", "/api/auth/2fa/verify-setup", s2, map[string]string{"code": code}).want(t, 200, "")

		for i := 0; i < 3; i++ {
			pt := e.pending(u)
			code := totpAt(t, u.secret, e.clk.Now())
			short = append(short, code)
			tok := e.do("POST", "/api/auth/2fa/validate", "", map[string]string{"temp_token": pt, "code": code}).want(t, 200, "").str("access_token")
			long = append(long, pt, tok)
			e.clk.Advance(30 * time.Second)
		}
		pt := e.pending(u)
		tok := e.do("POST", "/api/auth/2fa/validate", "", map[string]string{"temp_token": pt, "backup_code": u.codes[4]}).want(t, 200, "").str("access_token")
		long = append(long, pt, tok)
		tok = e.do("GET", "/api/auth/refresh", tok, nil).want(t, 200, "").str("access_token")
		long = append(long, tok)
		code = totpAt(t, u.secret, e.clk.Now())
		short = append(short, code)
		rg := e.do("POST", "/api/auth/2fa/backup-codes/regenerate", tok, map[string]string{"code": code}).want(t, 200, "")
		for _, c := range rg.body["backup_codes"].([]any) {
			long = append(long, c.(string), strings.ReplaceAll(c.(string), "-", ""))
		}
		e.clk.Advance(30 * time.Second)
		for i := 0; i < 6; i++ { // wrong codes and a lockout in the log too
			e.do("DELETE", "/api/auth/2fa/disable", tok, map[string]string{"code": "000000"})
		}
		e.login("scan", "not the password "+u.pass)
		e.clk.Advance(server.LockDuration)
		code = totpAt(t, u.secret, e.clk.Now())
		short = append(short, code)
		e.do("DELETE", "/api/auth/2fa/disable", tok, map[string]string{"code": code}).want(t, 200, "")
		e.do("POST", "/api/auth/logout", tok, nil).want(t, 204, "")

		dump := dumpTables(t, e)
		logs := e.ref.Log()
		if !strings.Contains(logs, "/api/auth/2fa/validate") || !strings.Contains(dump, "backup_code_used") {
			t.Fatal("scan inputs are empty: the test would prove nothing")
		}
		var raw string
		e.ref.Close()
		for _, f := range e.db.Files {
			b, err := os.ReadFile(f)
			if err == nil {
				raw += string(b)
			}
		}
		for _, s := range long {
			for where, text := range map[string]string{"table dump": dump, "log": logs, "database file": raw} {
				if strings.Contains(text, s) {
					t.Errorf("%s contains a secret (%d chars, starts %q)", where, len(s), s[:4])
				}
			}
		}
		for _, c := range short {
			re := regexp.MustCompile(`(^|[^0-9])` + c + `($|[^0-9])`)
			for where, text := range map[string]string{"table dump": dump, "log": logs} {
				if re.MatchString(text) {
					t.Errorf("%s contains a TOTP code", where)
				}
			}
		}
	})
}

// dumpTables renders every row of every table as text.
func dumpTables(t *testing.T, e *env) string {
	t.Helper()
	var sb strings.Builder
	for _, table := range []string{"users", "tokens", "totp_secrets", "backup_codes", "audit_log"} {
		rows, err := e.srv.Store().DB().QueryContext(context.Background(), "SELECT * FROM "+table)
		if err != nil {
			t.Fatalf("dump %s: %v", table, err)
		}
		cols, _ := rows.Columns()
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			for _, v := range vals {
				switch x := v.(type) {
				case []byte:
					sb.Write(x)
				default:
					sb.WriteString(strings.TrimSpace(strings.ReplaceAll(fmtAny(x), "\n", " ")))
				}
				sb.WriteByte('|')
			}
			sb.WriteByte('\n')
		}
		rows.Close()
	}
	return sb.String()
}
