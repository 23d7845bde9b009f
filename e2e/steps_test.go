package e2e

import (
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

// wait bounds each wait for a screen; requests go to 127.0.0.1.
const wait = 10 * time.Second

// clientEnv is the TUI's environment: config, data and keyring kept out of
// the developer's own (no D-Bus session bus, so the OS keyring is skipped
// and the session lands in the kernel keyring or in memory), a 24-bit
// colour terminal.
func clientEnv(t *testing.T) (env []string, home string) {
	t.Helper()
	dir := t.TempDir()
	home = filepath.Join(dir, "home")
	if err := os.MkdirAll(home, 0o700); err != nil {
		t.Fatal(err)
	}
	return []string{
		"HOME=" + home,
		"XDG_CONFIG_HOME=" + filepath.Join(dir, "config"),
		"XDG_DATA_HOME=" + filepath.Join(dir, "data"),
		"XDG_STATE_HOME=" + filepath.Join(dir, "state"),
		"XDG_CACHE_HOME=" + filepath.Join(dir, "cache"),
		"DBUS_SESSION_BUS_ADDRESS=unix:path=" + filepath.Join(dir, "no-session-bus"),
		"PATH=" + os.Getenv("PATH"),
		"TERM=xterm-256color",
		"COLORTERM=truecolor",
		"LANG=C.UTF-8",
		"TZ=UTC", // times are shown in the local zone
	}, home
}

var (
	twoFAOffRE   = regexp.MustCompile(`Two-factor authentication\s+Off`)
	twoFAOnRE    = regexp.MustCompile(`Two-factor authentication\s+On since \d{4}-\d\d-\d\d \d\d:\d\d UTC`)
	codesLeftRE  = regexp.MustCompile(`Backup codes left\s+(\d+) of (\d+)`)
	backupCodeRE = regexp.MustCompile(`(\d+)\. ([0-9A-Z]{5}-[0-9A-Z]{5})`)
	lockUntilRE  = regexp.MustCompile(`code checks are locked until (\d\d:\d\d) UTC`)
	storedInRE   = regexp.MustCompile(`Session stored in\s+(kernel keyring|memory only)`)
)

// enrolment is what enabling 2FA through the wizard gave the test.
type enrolment struct {
	secret string   // from the QR code on the screen
	step   int64    // the TOTP step of the code that enabled it
	backup []string // read off the backup-codes screen
}

// enableToCodes runs the enable wizard from Security up to its backup-codes
// step (Step 4 of 5): password again, the QR code read off the screen in
// both polarities, the manual entry key checked against it, and a code
// computed from its secret.
func enableToCodes(t *testing.T, term *terminal, user, password string) enrolment {
	t.Helper()
	// Step 2: read the QR code off the screen, as a phone would.
	uri := toQRStep(t, term, password, "the QR code is drawn as a negative (light modules on dark): scanners expect dark on light")
	if os.Getenv("TWOFA_E2E_SHOW") != "" {
		term.Dump("QR step")
	}
	secret, issuer, account := parseOTPAuth(t, uri)
	// i flips the polarity: the code reads as a negative of the same URI,
	// and a second i brings the standard drawing back.
	for _, wantNegative := range []bool{true, false} {
		before := term.Screen()
		term.Send("i")
		term.WaitUntil("the QR code to be redrawn after i", wait, func(s string) bool { return s != before })
		if got, neg := readQR(t, term); got != uri || neg != wantNegative {
			t.Fatalf("after i the QR code reads as negative=%v (want %v), same URI: %v", neg, wantNegative, got == uri)
		}
	}
	screen := term.WaitFor(wait, "Issuer", "Account")
	if !regexp.MustCompile(`Issuer\s+`+regexp.QuoteMeta(issuer)).MatchString(screen) ||
		!regexp.MustCompile(`Account\s+`+regexp.QuoteMeta(account)).MatchString(screen) {
		term.Dump("QR step")
		t.Fatalf("the QR step does not name issuer %q and account %q beside the code", issuer, account)
	}
	if account != user {
		t.Fatalf("the QR code's account is %q, want %q", account, user)
	}
	// The manual entry key (k) must be the QR code's secret, in groups of 4.
	term.Send("k")
	term.WaitFor(wait, "Manual entry key")
	term.WaitFor(wait, groupKey(secret)...)
	term.Send("k")
	term.WaitFor(wait, "Show manual entry key")
	term.Send(keyEnter)

	// Step 3: a code computed from the decoded secret.
	term.WaitFor(wait, "Step 3 of 5", "Enter the 6-digit code from your app")
	enrolStep := stepAt(time.Now())
	typeTOTP(term, codeAt(t, secret, enrolStep))
	term.Send(keyEnter)

	screen = term.WaitFor(wait, "Step 4 of 5", "Save your backup codes", "I've saved these codes")
	return enrolment{secret: secret, step: enrolStep, backup: readBackupCodes(t, term, screen)}
}

// toQRStep goes from Security to the enable wizard's QR step (e, then the
// password again) and reads the QR code off the screen, failing with
// negativeWhy when it is drawn light on dark.
func toQRStep(t *testing.T, term *terminal, password, negativeWhy string) (uri string) {
	t.Helper()
	term.Send("e")
	term.WaitFor(wait, "Step 1 of 5", "Confirm it's you")
	term.Send(password)
	term.WaitFor(wait, strings.Repeat("•", len(password)))
	term.Send(keyEnter)
	term.WaitFor(wait, "Step 2 of 5", "Scan this QR code")
	uri, negative := readQR(t, term)
	if negative {
		term.Dump("QR step")
		t.Fatal(negativeWhy)
	}
	return uri
}

// startSignedOut starts the real server with user (a random password) and
// the TUI against it in a terminal of pal, its environment plus extraEnv.
// The session the TUI stores is deleted once the TUI has exited.
func startSignedOut(t *testing.T, user string, pal palette, extraEnv ...string) (term *terminal, srv *backend, password string) {
	t.Helper()
	bin := buildBinary(t)
	password = "pw-" + randomText(t, 12)
	srv = startBackend(t, bin, user, password)
	env, _ := clientEnv(t)
	// Registered before the terminal so its cleanup runs after the TUI has
	// exited: the session the TUI stored is deleted from the kernel keyring.
	sessionStore(t, srv.URL, user)
	return startTerminal(t, bin, pal, []string{"--server", srv.URL}, append(env, extraEnv...)), srv, password
}

// firstSignIn signs in from an empty Sign in screen with the password of an
// account without 2FA and returns the Security screen it lands on, once it
// says where the session is stored.
func firstSignIn(t *testing.T, term *terminal, server, user, password string) string {
	t.Helper()
	term.WaitFor(wait, "Sign in", "to "+server, "Username", "Password")
	term.Send(user)
	term.WaitFor(wait, user)
	term.Send(keyEnter) // to the password field
	signInWithPassword(term, password)
	return term.WaitUntil("Security with 2FA off and the session stored", wait, func(s string) bool {
		return twoFAOffRE.MatchString(s) && strings.Contains(s, "Enable Two-Factor Authentication") &&
			strings.Contains(s, "· "+user) && storedInRE.MatchString(s)
	})
}

// expectNoCodesLeftOnScreen checks that after exit the normal screen shows
// none of the backup codes the alternate screen showed.
func expectNoCodesLeftOnScreen(t *testing.T, term *terminal, backup []string) {
	t.Helper()
	after := term.Screen()
	for _, c := range backup {
		if strings.Contains(after, c) {
			t.Errorf("backup code %s is still on the normal screen after exit", c)
		}
	}
}

// expectCodesFile checks the one file Download .txt wrote into home: mode
// 0600 and every backup code in it.
func expectCodesFile(t *testing.T, home string, backup []string) {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(home, "twofa-backup-codes-*.txt"))
	if err != nil || len(files) != 1 {
		t.Fatalf("want one twofa-backup-codes-*.txt in the home directory, found %v (%v)", files, err)
	}
	fi, err := os.Stat(files[0])
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("%s has mode %v, want 0600", filepath.Base(files[0]), fi.Mode().Perm())
	}
	data, err := os.ReadFile(files[0])
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range backup {
		if !strings.Contains(string(data), c) {
			t.Errorf("%s lacks backup code %s", filepath.Base(files[0]), c)
		}
	}
}

// usernameRE matches Sign in's username field holding user.
func usernameRE(user string) *regexp.Regexp {
	return regexp.MustCompile(`Username\s+(› )?` + regexp.QuoteMeta(user) + `\b`)
}

// quit presses Ctrl+C and checks that twofa exits with status 0 and gives
// the terminal back: normal screen, cursor shown, canonical mode with echo.
func quit(t *testing.T, term *terminal) {
	t.Helper()
	term.Send(keyCtrlC)
	if code := term.WaitExit(5 * time.Second); code != 0 {
		t.Fatalf("twofa exited with status %d after Ctrl+C, want 0", code)
	}
	alt, cursor := term.Mode()
	if alt {
		t.Errorf("the terminal is still on the alternate screen after exit")
	}
	if !cursor {
		t.Errorf("the cursor is still hidden after exit")
	}
	expectCookedMode(t, term)
}

// signInWithPassword types the password into the focused password field of
// Sign in and submits it.
func signInWithPassword(term *terminal, password string) {
	term.t.Helper()
	term.WaitUntil("the password field focused", wait, func(s string) bool {
		return strings.Contains(s, "Sign in") && regexp.MustCompile(`Password\s+›`).MatchString(s)
	})
	term.Send(password)
	term.WaitFor(wait, strings.Repeat("•", len(password)))
	term.Send(keyEnter)
}

// logOut presses l on Security, confirms with y and waits for Sign in.
func logOut(term *terminal) {
	term.t.Helper()
	term.Send("l")
	term.WaitFor(wait, "Log out of", "y yes")
	term.Send("y")
	term.WaitFor(wait, "Signed out.", "Sign in")
}

// typeTOTP types a 6-digit code and waits until the field shows it.
func typeTOTP(term *terminal, code string) {
	term.t.Helper()
	term.Send(code)
	term.WaitFor(wait, strings.Join(strings.Split(code, ""), " "))
}

// readQR decodes the QR code on the screen, retrying for up to 3 seconds
// while it is being drawn; negative reports a negative image.
func readQR(t *testing.T, term *terminal) (uri string, negative bool) {
	t.Helper()
	deadline := time.Now().Add(3 * time.Second)
	for {
		uri, negative, err := term.QR()
		if err == nil {
			return uri, negative
		}
		if time.Now().After(deadline) {
			term.Dump("QR step")
			t.Fatalf("could not read the QR code on the screen: %v", err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// parseOTPAuth checks an otpauth URI and returns its secret, issuer and account.
func parseOTPAuth(t *testing.T, uri string) (secret, issuer, account string) {
	t.Helper()
	u, err := url.Parse(uri)
	if err != nil {
		t.Fatalf("the QR code holds no URI: %v", err)
	}
	if u.Scheme != "otpauth" || u.Host != "totp" {
		t.Fatalf("the QR code holds a %s://%s URI, want otpauth://totp", u.Scheme, u.Host)
	}
	q := u.Query()
	for param, want := range map[string]string{"algorithm": "SHA1", "digits": "6", "period": "30"} {
		if got := q.Get(param); got != "" && got != want {
			t.Fatalf("otpauth %s=%s, want %s", param, got, want)
		}
	}
	secret = q.Get("secret")
	if len(secret) < 32 {
		t.Fatalf("otpauth secret has %d base32 characters, want at least 32 (160 bits)", len(secret))
	}
	label := strings.TrimPrefix(u.Path, "/")
	issuer = q.Get("issuer")
	prefix, name, ok := strings.Cut(label, ":")
	if !ok || issuer == "" || prefix != issuer {
		t.Fatalf("otpauth label %q and issuer %q: want \"Issuer:account\" with the same issuer", label, issuer)
	}
	return secret, issuer, strings.TrimSpace(name)
}

// groupKey splits a secret into the groups of 4 the manual entry key shows.
func groupKey(secret string) []string {
	var out []string
	for i := 0; i < len(secret); i += 4 {
		out = append(out, secret[i:min(i+4, len(secret))])
	}
	return out
}

// readBackupCodes reads the numbered codes of the backup-codes screen.
func readBackupCodes(t *testing.T, term *terminal, screen string) []string {
	t.Helper()
	found := map[int]string{}
	for _, m := range backupCodeRE.FindAllStringSubmatch(screen, -1) {
		n, _ := strconv.Atoi(m[1])
		found[n] = m[2]
	}
	if len(found) < 3 {
		term.Dump("backup codes")
		t.Fatalf("read %d backup codes off the screen, want at least 3", len(found))
	}
	out := make([]string, len(found))
	seen := map[string]bool{}
	for i := range out {
		c, ok := found[i+1]
		if !ok {
			term.Dump("backup codes")
			t.Fatalf("backup code %d is missing from the numbered list", i+1)
		}
		if seen[c] {
			t.Fatalf("backup code %d repeats an earlier one", i+1)
		}
		seen[c] = true
		out[i] = c
	}
	return out
}

// expectCodesLeft checks Security's "Backup codes left N of M" row.
func expectCodesLeft(t *testing.T, term *terminal, screen string, left, total int) {
	t.Helper()
	m := codesLeftRE.FindStringSubmatch(screen)
	if m == nil || m[1] != strconv.Itoa(left) || m[2] != strconv.Itoa(total) {
		term.Dump("Security")
		t.Fatalf("Security should say %d of %d backup codes are left", left, total)
	}
}

// expectLockUntil checks that the lock's end on screen is about 15 minutes
// from now (CoPilot and the reference server lock for 15), rounded up to
// the minute.
func expectLockUntil(t *testing.T, term *terminal, screen string) {
	t.Helper()
	hm := lockUntilRE.FindStringSubmatch(screen)[1]
	now := time.Now().UTC()
	until, err := time.Parse("15:04", hm)
	if err != nil {
		t.Fatal(err)
	}
	until = time.Date(now.Year(), now.Month(), now.Day(), until.Hour(), until.Minute(), 0, 0, time.UTC)
	if until.Before(now) {
		until = until.Add(24 * time.Hour)
	}
	if d := until.Sub(now); d < 14*time.Minute || d > 17*time.Minute {
		term.Dump("lockout")
		t.Fatalf("the lock ends at %s, %v from now; want about 15 minutes", hm, d)
	}
}

// copiedCodes reports whether text is what Copy all sends: one header line
// naming twofa's backup codes, then exactly the codes, one a line.
func copiedCodes(text string, backup []string) bool {
	header, rest, ok := strings.Cut(text, "\n")
	return ok && strings.HasPrefix(header, "# twofa backup codes for ") && rest == strings.Join(backup, "\n")+"\n"
}
