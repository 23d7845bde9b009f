package screens

import (
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/twofa/twofa/session"
)

// Navigation messages: a screen returns a command yielding one of these and
// the root model switches screens.
type (
	// needSecondFactorMsg: the password was right, 2FA is on.
	needSecondFactorMsg struct {
		pending session.Pending
		started time.Time
	}
	// signedInMsg: a full session token was issued.
	signedInMsg struct {
		session session.Session
		viaCode bool // true after a backup code
	}
	// backToLoginMsg: show Sign in with a notice (and an error style when bad).
	backToLoginMsg struct {
		username string
		notice   string
		bad      bool
	}
	// backToSecurityMsg: show the Security tab again, reloaded.
	backToSecurityMsg struct {
		notice string
	}
	openEnableMsg     struct{}
	openRegenerateMsg struct{}
	openDisableMsg    struct{}
	logoutMsg         struct{}
	// sessionEndedMsg: the server refused the session token.
	sessionEndedMsg struct{}
	// lockSeenMsg: a server locked second-factor checks until then; the
	// Security tab says so for the rest of the run.
	lockSeenMsg struct{ until time.Time }
	// statusMsg puts a line in the footer until the next key.
	statusMsg struct{ text string }
)

// send returns a command that yields msg.
func send(msg tea.Msg) tea.Cmd {
	return func() tea.Msg { return msg }
}
