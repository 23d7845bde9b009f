package e2e

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/twofa/twofa/internal/harness/hostile"
	"github.com/twofa/twofa/internal/safetext"
	"github.com/twofa/twofa/server/servertest"
)

// TestHostileServer drives the real binary against a reference server
// behind hostile.Wrap, which hides every escape sequence of issue 10 (window
// title, clipboard write, screen clear, hyperlink, the cursor-position and
// DCS queries, their 8-bit forms, bidi and zero-width characters) in every
// text field: a refusal's sentence on Sign in, the username and role on the
// Profile tab, the Security tab, the issuer and account of the QR step and
// the manual-key view, the backup codes, Copy all, Download .txt, and
// `twofa status` in text and JSON. What each run wrote to its terminal is
// checked byte for byte: no sequence of the server's, no C1 or hidden
// character, no title set, no query answered but twofa's own; the file and
// the clipboard payload hold only text. The cleaned text is on screen.
func TestHostileServer(t *testing.T) {
	bin := buildBinary(t)
	const user = "alice"
	password := "pw-" + randomText(t, 12)
	srv := servertest.New(t, servertest.Options{Wrap: hostile.Wrap(hostile.Options{RefuseUser: "mallory"})})
	srv.CreateUser(t, user, password, "user")
	env, home := clientEnv(t)
	sessionStore(t, srv.URL, user)
	args := []string{"--server", srv.URL, "--insecure-storage"}
	clean := func(s string) string { return safetext.Line(hostile.Text(s)) }

	// Sign in: a refusal twofa does not know shows the server's sentence.
	term := startTerminal(t, bin, darkTerminal, args, env)
	term.WaitFor(wait, "Sign in", "Username")
	term.Send("mallory")
	term.Send(keyEnter)
	signInWithPassword(term, password)
	term.WaitFor(wait, "The server refused: This account is", "suspended.@0@@1@@2@@3@")
	quit(t, term)
	expectNoLeaks(t, term, "Sign in", 0)

	term = startTerminal(t, bin, darkTerminal, args, env)
	firstSignIn(t, term, srv.URL, user, password)
	term.Send(keyTab)
	screen := term.WaitFor(wait, "[Profile]", "Username", "Role")
	if !strings.Contains(screen, clean(user)[:40]) || !strings.Contains(screen, clean("user")[:40]) {
		term.Dump("Profile")
		t.Fatalf("the Profile tab does not show the cleaned username and role")
	}
	term.Send(keyTab)
	term.WaitFor(wait, "[Security]", "Enable Two-Factor Authentication")

	// The wizard: the issuer and account beside the QR code (or the note
	// that it does not fit: a hostile label makes a long URI), the manual
	// entry key with the setup link, the secret read off it.
	term.Send("e")
	term.WaitFor(wait, "Step 1 of 5")
	term.Send(password)
	term.WaitFor(wait, strings.Repeat("•", len(password)))
	term.Send(keyEnter)
	screen = term.WaitFor(wait, "Step 2 of 5", "Issuer", "Account")
	if !strings.Contains(screen, clean("twofa")[:20]) || !strings.Contains(screen, clean(user)[:20]) {
		term.Dump("QR step")
		t.Fatalf("the QR step does not show the cleaned issuer and account")
	}
	term.Send("k")
	screen = term.WaitFor(wait, "Manual entry key", "Algorithm SHA-1")
	secret := manualKey(t, term, screen)
	term.Send(keyEnter)
	term.WaitFor(wait, "Step 3 of 5")
	typeTOTP(term, srv.Code(t, secret))
	term.Send(keyEnter)
	screen = term.WaitFor(wait, "Step 4 of 5", "I've saved these codes")
	backup := readBackupCodes(t, term, screen)

	// Idle on the codes: no frame is drawn.
	before := term.vt.Bytes()
	time.Sleep(2500 * time.Millisecond)
	if drawn := term.vt.Bytes() - before; drawn != 0 {
		t.Errorf("the backup codes screen wrote %d bytes in 2.5 s idle, want 0", drawn)
	}

	term.Send("c")
	term.WaitFor(wait, "OSC 52")
	term.Send("d")
	term.WaitFor(wait, "Save to", "twofa-backup-codes-")
	term.Send(keyEnter)
	term.WaitFor(wait, "Saved to ~/twofa-backup-codes-")
	expectCodesFile(t, home, backup)
	expectCleanFile(t, home)
	term.Send(keyEnter)
	term.WaitFor(wait, "Step 5 of 5")
	term.Send(keyEnter)
	term.WaitUntil("Security with 2FA on", wait, func(s string) bool { return twoFAOnRE.MatchString(s) })
	quit(t, term)
	raw := expectNoLeaks(t, term, "the TUI", 1)
	expectClipboard(t, raw, backup)

	// twofa status, as text and as JSON, in a terminal too.
	term = startTerminal(t, bin, darkTerminal, append([]string{"status"}, args...), env)
	if code := term.WaitExit(wait); code != 0 {
		term.Dump("twofa status")
		t.Fatalf("twofa status exited %d", code)
	}
	if !regexp.MustCompile(`Signed in as:\s+` + regexp.QuoteMeta(clean(user)[:30])).MatchString(term.Screen()) {
		term.Dump("twofa status")
		t.Fatalf("twofa status does not show the cleaned username")
	}
	expectNoLeaks(t, term, "twofa status", 0)
	term = startTerminal(t, bin, darkTerminal, append([]string{"status", "--json"}, args...), env)
	if code := term.WaitExit(wait); code != 0 {
		t.Fatalf("twofa status --json exited %d", code)
	}
	raw = expectNoLeaks(t, term, "twofa status --json", 0)
	var rep struct{ User, Role string }
	doc := raw[max(0, bytes.IndexByte(raw, '{')):] // after twofa's own colour query
	if err := json.Unmarshal(bytes.ReplaceAll(doc, []byte("\r\n"), []byte("\n")), &rep); err != nil {
		t.Fatalf("twofa status --json: %v\n%q", err, raw)
	}
	if rep.User != clean(user) || rep.Role != clean("user") {
		t.Fatalf("twofa status --json: user %q, role %q", rep.User, rep.Role)
	}
}

// TestHostileBackupCodes: backup codes carrying an escape sequence are
// refused whole — the wizard says the server sent codes that cannot be
// typed, and nothing of them reaches the terminal.
func TestHostileBackupCodes(t *testing.T) {
	bin := buildBinary(t)
	const user = "bob"
	password := "pw-" + randomText(t, 12)
	srv := servertest.New(t, servertest.Options{Wrap: hostile.Wrap(hostile.Options{Codes: true})})
	srv.CreateUser(t, user, password, "user")
	env, _ := clientEnv(t)
	sessionStore(t, srv.URL, user)
	term := startTerminal(t, bin, darkTerminal, []string{"--server", srv.URL, "--insecure-storage"}, env)
	firstSignIn(t, term, srv.URL, user, password)
	term.Send("e")
	term.WaitFor(wait, "Step 1 of 5")
	term.Send(password)
	term.WaitFor(wait, strings.Repeat("•", len(password)))
	term.Send(keyEnter)
	term.WaitFor(wait, "sent a backup code with characters that cannot be")
	quit(t, term)
	expectNoLeaks(t, term, "the wizard", 0)
}

// expectNoLeaks checks what the program wrote to its terminal: nothing of
// hostile.Text, no window title, no hyperlink, no DCS, clipboard writes
// only as many as copies (copies), and the emulator answered no query but
// the program's own cursor-position queries. It returns the bytes.
func expectNoLeaks(t *testing.T, term *terminal, what string, copies int) []byte {
	t.Helper()
	raw := term.vt.Raw()
	if leaks := hostile.Leaks(raw); len(leaks) > 0 {
		t.Errorf("%s: the terminal got what the server sent: %v", what, leaks)
	}
	if title := term.vt.Title(); title != "" {
		t.Errorf("%s: the window title was set to %q", what, title)
	}
	for seq, name := range map[string]string{"\x1b]0;": "title", "\x1b]1;": "icon title", "\x1b]2;": "title",
		"\x1b]8;": "hyperlink", "\x1bP": "DCS", "\x1b_": "APC", "\x1bc": "reset"} {
		if bytes.Contains(raw, []byte(seq)) {
			t.Errorf("%s: the terminal got a %s sequence", what, name)
		}
	}
	if n := bytes.Count(raw, []byte("\x1b]52;")); n != copies {
		t.Errorf("%s: %d clipboard writes, want %d", what, n, copies)
	}
	// vt10x answers the cursor-position query, and the colour queries too
	// (termenv asks both at start); any other answer was asked by the server.
	asked := bytes.Count(raw, []byte("\x1b[6n"))
	cpr := regexp.MustCompile(`\x1b\[\d+;\d+R`)
	colour := regexp.MustCompile(`\x1b\]1[01];rgb:[0-9a-f/]+\x07`)
	replies := term.vt.Replies()
	if got := len(cpr.FindAll(replies, -1)); got != asked || len(colour.ReplaceAll(cpr.ReplaceAll(replies, nil), nil)) != 0 {
		t.Errorf("%s: the terminal answered %q to %d cursor queries of twofa's own", what, replies, asked)
	}
	return raw
}

// expectClipboard checks the one OSC 52 write: the header line, then
// exactly the codes shown, one a line, nothing else.
func expectClipboard(t *testing.T, raw []byte, backup []string) {
	t.Helper()
	m := regexp.MustCompile(`\x1b\]52;c;([A-Za-z0-9+/=]*)\x07`).FindSubmatch(raw)
	if m == nil {
		t.Fatal("no OSC 52 clipboard write after c")
	}
	payload, err := base64.StdEncoding.DecodeString(string(m[1]))
	if err != nil || !copiedCodes(string(payload), backup) {
		t.Fatalf("the clipboard got %q (%v), want the header line and the codes one a line", payload, err)
	}
}

// expectCleanFile checks the saved codes file holds only text.
func expectCleanFile(t *testing.T, home string) {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(home, "twofa-backup-codes-*.txt"))
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if leaks := hostile.Leaks(data); len(leaks) > 0 || bytes.ContainsAny(data, "\x1b\x07\r\b") {
			t.Fatalf("%s holds %v", filepath.Base(f), leaks)
		}
	}
}

// manualKey reads the manual entry key off the screen: the lines of
// four-character groups under "Manual entry key".
func manualKey(t *testing.T, term *terminal, screen string) string {
	t.Helper()
	group := regexp.MustCompile(`^\s*((?:[A-Z2-7]{1,4} ?){1,4})\s*$`)
	var key strings.Builder
	lines := strings.Split(screen, "\n")
	for i, line := range lines {
		if !strings.Contains(line, "Manual entry key") {
			continue
		}
		for _, l := range lines[i+1:] {
			left := l
			if len(left) > 44 {
				left = left[:44] // the key's column, left of the side column
			}
			if m := group.FindStringSubmatch(left); m != nil {
				key.WriteString(strings.ReplaceAll(m[1], " ", ""))
			} else if key.Len() > 0 {
				break
			}
		}
		break
	}
	if key.Len() < 32 {
		term.Dump("manual entry key")
		t.Fatalf("read %q as the manual entry key", key.String())
	}
	return key.String()
}
