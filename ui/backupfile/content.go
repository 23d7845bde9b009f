package backupfile

import (
	"fmt"
	"strings"
	"time"

	"github.com/twofa/twofa/internal/safetext"
	"github.com/twofa/twofa/ui/words"
)

// Typing says how the server compares a typed backup code, which decides
// the file's advice.
type Typing int

const (
	// TypeExactly: the server compares a code as it was issued (CoPilot);
	// only twofa's own prompt strips dashes and spaces.
	TypeExactly Typing = iota
	// TypeAnyForm: the server ignores dashes, spaces and case [ext].
	TypeAnyForm
)

// Content is the text of a backup-code file: a header naming the service,
// the account and when they were made, the codes numbered exactly as given (see
// codes.Shown; the client let through only printable ASCII), and how to
// use them, true for that server. The header's names are cleaned
// (safetext.Line): a file may be read with cat in a terminal.
func Content(service, account string, created time.Time, list []string, typing Typing) []byte {
	var b strings.Builder
	fmt.Fprintf(&b, "twofa backup codes\n\n")
	fmt.Fprintf(&b, "Service: %s\n", safetext.Line(service))
	fmt.Fprintf(&b, "Account: %s\n", safetext.Line(account))
	fmt.Fprintf(&b, "Created: %s\n\n", words.Time(created))
	fmt.Fprintf(&b, "Each code works once. Keep this file private, or print it and delete it.\n\n")
	width := len(fmt.Sprint(len(list)))
	for i, c := range list {
		fmt.Fprintf(&b, "%*d. %s\n", width, i+1, c)
	}
	b.WriteString(`
How to use them:
  - When sign-in asks for your authenticator code and you do not have it,
    choose "Use a backup code instead" and type one of these codes.
`)
	if typing == TypeAnyForm {
		b.WriteString("    Dashes and spaces do not matter; upper or lower case is fine.\n")
	} else {
		b.WriteString(`    Type it exactly as written here, adding no dashes or spaces: twofa
    removes them for you, but the server's own web sign-in may refuse a
    code typed with them.
`)
	}
	b.WriteString(`  - A code is spent once used: cross it off.
  - Running low, or think someone saw them? Sign in, open Security and
    choose "Regenerate backup codes". All the codes above then stop working.
`)
	return []byte(b.String())
}
