package backupfile

import (
	"fmt"
	"strings"
	"time"

	"github.com/twofa/twofa/internal/codes"
)

// Content is the text of a backup-code file: a header naming the service,
// the account and the date, the numbered codes, and how to use them.
func Content(service, account string, day time.Time, list []string) []byte {
	var b strings.Builder
	fmt.Fprintf(&b, "twofa backup codes\n\n")
	fmt.Fprintf(&b, "Service: %s\n", service)
	fmt.Fprintf(&b, "Account: %s\n", account)
	fmt.Fprintf(&b, "Created: %s\n\n", day.Format(time.DateOnly))
	fmt.Fprintf(&b, "Each code works once. Keep this file private, or print it and delete it.\n\n")
	width := len(fmt.Sprint(len(list)))
	for i, c := range list {
		if n, ok := codes.NormalizeBackup(c); ok {
			c = codes.FormatBackup(n)
		}
		fmt.Fprintf(&b, "%*d. %s\n", width, i+1, c)
	}
	b.WriteString(`
How to use them:
  - When sign-in asks for your authenticator code and you do not have it,
    choose "Use a backup code instead" and type one of these codes.
    Dashes and spaces do not matter; upper or lower case is fine.
  - A code is spent once used: cross it off.
  - Running low, or think someone saw them? Sign in, open Security and
    choose "Regenerate backup codes". All the codes above then stop working.
`)
	return []byte(b.String())
}
