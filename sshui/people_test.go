package sshui

import (
	"context"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/twofa/twofa/internal/harness/vtterm"
	"github.com/twofa/twofa/server"
)

var (
	keyRE  = regexp.MustCompile(`(?m)^ ((?:[A-Z2-7]{4} ){3}[A-Z2-7]{4})(?: |$)`)
	codeRE = regexp.MustCompile(`\d+\. ([0-9A-Z]{5}-[0-9A-Z]{5})`)
)

// manualKey reads the manual entry key off the QR step (after k).
func manualKey(t *testing.T, vt *vtterm.Term) string {
	t.Helper()
	screen := waitFor(t, vt, "Manual entry key")
	var key strings.Builder
	for _, m := range keyRE.FindAllStringSubmatch(screen, -1) {
		key.WriteString(strings.ReplaceAll(m[1], " ", ""))
	}
	if key.Len() < 32 {
		t.Fatalf("no manual entry key on screen:\n%s", screen)
	}
	return key.String()
}

// TestTwoPeopleApart: two people on two connections at once, each signed
// in to their own account. Alice enables 2FA and copies her backup codes
// while Bob looks at his Security tab and starts his own setup: neither
// screen ever shows the other's name, secret or codes; Bob logging out
// leaves Alice signed in; the clipboard copy goes down Alice's connection
// only; and when Alice's connection closes, her session is ended at the
// server and the log names each one's user.
func TestTwoPeopleApart(t *testing.T) {
	f := startFront(t, nil)
	f.api.CreateUser(t, "alice", "alice's long password", "user")
	f.api.CreateUser(t, "bob", "bob's long password", "user")
	alice := openTerm(t, f.dial(), "xterm-256color")
	bob := openTerm(t, f.dial(), "xterm-256color")
	signIn(t, alice, "alice", "alice's long password")
	signIn(t, bob, "bob", "bob's long password")

	secret := setupKey(t, alice, "alice", "alice's long password")
	bobSecret := setupKey(t, bob, "bob", "bob's long password")
	if bobSecret == secret {
		t.Fatal("Bob was shown Alice's secret")
	}

	send(t, alice, "\r")
	waitFor(t, alice, "Step 3 of 5")
	send(t, alice, f.api.Code(t, secret)+"\r")
	screen := waitFor(t, alice, "Step 4 of 5", "I've saved these codes")
	codes := codeRE.FindAllStringSubmatch(screen, -1)
	if len(codes) != 10 || strings.Contains(screen, "Download") {
		t.Fatalf("backup codes step over SSH:\n%s", screen)
	}
	send(t, alice, "c")
	waitFor(t, alice, "Sent to your terminal's clipboard")
	copied, _ := alice.Clipboard()
	if _, list, _ := strings.Cut(copied, "\n"); !strings.HasPrefix(copied, "# twofa backup codes for alice") || !strings.HasPrefix(list, codes[0][1]+"\n") || strings.Count(list, "\n") != 10 {
		t.Fatalf("Alice's terminal clipboard holds %q, want her 10 codes", copied)
	}
	if got, n := bob.Clipboard(); n != 0 {
		t.Fatalf("Bob's terminal got a clipboard write: %q", got)
	}
	send(t, alice, "\r")
	waitFor(t, alice, "Step 5 of 5")
	send(t, alice, "\r")
	waitFor(t, alice, "Two-factor authentication   On", "Backup codes left           10 of 10")

	for _, leak := range append([]string{"alice", secret[:8], codes[0][1]}, groups(secret)...) {
		if s := bob.Screen(); strings.Contains(s, leak) {
			t.Fatalf("Bob's screen shows %q of Alice's:\n%s", leak, s)
		}
	}
	send(t, bob, "\x1b") // leave his setup
	waitFor(t, bob, "Two-factor authentication   Off", "· bob")
	send(t, bob, "l")
	waitFor(t, bob, "Log out of")
	send(t, bob, "y")
	waitFor(t, bob, "Signed out.")

	send(t, alice, "\t") // Profile asks the server with Alice's token: still good
	waitFor(t, alice, "Username", "alice")
	send(t, alice, "\x03")
	select {
	case <-alice.Exited():
	case <-time.After(wait):
		t.Fatal("Alice's session did not end on Ctrl+C")
	}
	waitForLog(t, f, `users=alice outcome=closed`)
	if !loggedOut(t, f, "alice") {
		t.Fatal("Alice's session was not ended at the server when her connection closed")
	}
	send(t, bob, "\x03")
	<-bob.Exited()
	waitForLog(t, f, `users=bob outcome=closed`)
	for _, secretText := range []string{"long password", secret, bobSecret, codes[0][1], codes[9][1]} {
		if strings.Contains(f.log.String(), secretText) {
			t.Fatalf("the front end's log holds %q:\n%s", secretText, f.log.String())
		}
	}
}

// setupKey opens the enable wizard from Security, confirms the password
// and returns the manual entry key of the QR step.
func setupKey(t *testing.T, vt *vtterm.Term, user, password string) string {
	t.Helper()
	send(t, vt, "e")
	waitFor(t, vt, "Step 1 of 5")
	send(t, vt, password+"\r")
	waitFor(t, vt, "Step 2 of 5", "Account  "+user)
	send(t, vt, "k")
	return manualKey(t, vt)
}

// groups is the secret in the manual key's groups of four.
func groups(secret string) []string {
	var out []string
	for i := 0; i+4 <= len(secret); i += 4 {
		out = append(out, secret[i:i+4])
	}
	return out[:2]
}

// waitForLog waits until the front end's log holds want.
func waitForLog(t *testing.T, f *front, want string) {
	t.Helper()
	deadline := time.Now().Add(wait)
	for !strings.Contains(f.log.String(), want) {
		if time.Now().After(deadline) {
			t.Fatalf("the log never said %q:\n%s", want, f.log.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// loggedOut reports whether the server's audit log has a logout of user.
func loggedOut(t *testing.T, f *front, user string) bool {
	t.Helper()
	adm, err := server.OpenAdmin(context.Background(), server.AdminOptions{DSN: f.api.Database.DSN})
	if err != nil {
		t.Fatal(err)
	}
	defer adm.Close()
	events, err := adm.Audit(context.Background(), user, 50)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range events {
		if e.Event == server.EventLogout {
			return true
		}
	}
	return false
}
