package words

import (
	"fmt"
	"time"

	"github.com/twofa/twofa/keyring"
)

// SessionEnded says that the server no longer accepts the session.
const SessionEnded = "Your session has ended — sign in again."

// SavedSessionEnded says that the session kept from an earlier run is over.
const SavedSessionEnded = "Your saved session has ended — sign in again."

// Unrevoked says plainly that signing out here did not end the session at
// a server that has no logout, and until when it stays valid there (exp,
// the token's expiry; zero when unknown). user and server name who signed
// out where; either may be "" when the screen already shows it.
func Unrevoked(user, server string, exp time.Time) string {
	who := "Signed out here."
	if user != "" {
		who = "Signed out " + user + " here."
	}
	if server == "" {
		server = "This server"
	}
	return fmt.Sprintf("%s %s cannot end sessions: the session stays valid there %s. Its token was deleted from this computer.", who, server, ValidUntil(exp))
}

// StorageWarning is what to tell a person about where their session token
// is kept, when that is weak (a plaintext file, or memory only because
// nothing else worked); "" otherwise.
func (w Words) StorageWarning(st keyring.Storage) string {
	switch {
	case st.File != "":
		asked := "you asked for that"
		if w.settings.InsecureStorage != "" {
			asked = "you asked for " + w.settings.InsecureStorage
		}
		return fmt.Sprintf("Your session token is stored unencrypted in %s (%s). Anyone who can read your files can use it until it expires.", st.File, asked)
	case st.MemoryFallback:
		return "No keyring is available here, so your session is kept in memory only: you will sign in again next time."
	}
	return ""
}

// Cancelled says that Esc stopped waiting for a request's answer, and
// which key sends it again.
func Cancelled(retry string) string {
	return "Cancelled: twofa stopped waiting for the server. Press " + retry + " to try again."
}
