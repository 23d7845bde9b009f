package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	"github.com/twofa/twofa/keyring"
	"github.com/twofa/twofa/server/auth"
)

// Screen texts the scripted runs wait for (the labels of design.md).
var (
	signInDrawn    = []string{"Sign in", "Username", "Password"}
	baselineDrawn  = []string{"baseline ready"}
	securityOff    = []string{"Enable Two-Factor Authentication"}
	confirmItsYou  = []string{"Confirm it's you"}
	qrStep         = []string{"Show manual entry key"}
	manualKey      = []string{"Manual entry key", "SHA-1"}
	codeStep       = []string{"Enter the 6-digit code from your app"}
	savedCodes     = []string{"Save your backup codes"}
	notSavedPrompt = []string{"Continue anyway?"}
)

// benchTUI measures the terminal UI against a `twofa serve` on a temp SQLite
// file: the first frame (against the baseline) and its package
// initialisation, then peak RSS and bytes written through sign-in and the
// enable flow.
func benchTUI(ctx context.Context, cfg config, bins binaries, tmp string) []Figure {
	dir := filepath.Join(tmp, "tui")
	srv, accts, err := serverWithAccounts(ctx, bins, dir, "tui", 1)
	if err != nil {
		return flowGroup.done("", frameGroup.done("", nil, err), err)
	}
	defer srv.Stop()

	figs, err := measureFirstFrame(cfg, bins, dir, srv.URL())
	figs = frameGroup.done("", figs, err)
	flow, err := enableFlow(bins.Twofa, dir, srv.URL(), accts[0])
	if err != nil {
		return flowGroup.done("", figs, err)
	}
	return append(figs,
		fig("tui_peak_rss_mb", "", flow.PeakRSS, "VmHWM of twofa after sign-in → Security → enable wizard (password, QR, manual key, code, backup codes) → 2FA on"),
		fig("tui_bytes_per_keystroke", "", medianInts(flow.CodeKeys), "median bytes the program wrote to the pty per digit typed in the wizard's code field (per digit: %v)", flow.CodeKeys),
		fig("tui_bytes_per_password_keystroke", "", medianInts(flow.PasswordKeys), "median bytes written per character typed in the sign-in screen's password field (per character: %v)", flow.PasswordKeys),
		fig("tui_enable_flow_bytes", "", float64(flow.EnableBytes), "bytes written from pressing e on the Security tab to the Security tab showing 2FA on: password, QR, manual key, the code typed digit by digit, backup codes, confirmation"),
	)
}

// serverWithAccounts starts `twofa serve` on a new SQLite file in dir with
// n accounts named prefix-0… without 2FA.
func serverWithAccounts(ctx context.Context, bins binaries, dir, prefix string, n int) (*proc, []*account, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, nil, err
	}
	dsn := "sqlite:" + filepath.Join(dir, prefix+".db")
	jwt := randomText(48)
	accts, err := provision(ctx, dsn, jwt, batch{prefix, n, false, auth.LightParams}, min(n, 4))
	if err != nil {
		return nil, nil, err
	}
	srv, err := startServer(bins.Twofa, dsn, jwt, dir)
	return srv, accts, err
}

// measureFirstFrame runs twofa and the baseline in turn, each in a fresh
// pty with a fresh HOME, and compares their medians; then it times their
// package initialisation.
func measureFirstFrame(cfg config, bins binaries, dir, serverURL string) ([]Figure, error) {
	progs := []struct {
		bin  string
		want []string
		runs []float64
	}{
		{bins.Twofa, signInDrawn, nil},
		{bins.Baseline, baselineDrawn, nil},
	}
	logf("first frame: %d runs each of twofa and the baseline, in turn", cfg.FrameRuns)
	for i := 0; i < cfg.FrameRuns; i++ {
		for j := range progs {
			p := &progs[j]
			env, err := tuiEnv(filepath.Join(dir, fmt.Sprintf("home-%d-%d", i, j)), serverURL)
			if err != nil {
				return nil, err
			}
			d, err := firstFrame(p.bin, nil, env, p.want)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", filepath.Base(p.bin), err)
			}
			p.runs = append(p.runs, msOf(d))
		}
	}
	twofaInit, err := initDone(bins.Twofa, []string{"version"}, cfg.FrameRuns)
	if err != nil {
		return nil, err
	}
	baseInit, err := initDone(bins.Baseline, nil, cfg.FrameRuns)
	if err != nil {
		return nil, err
	}
	t, b := progs[0].runs, progs[1].runs
	mt, mb := median(t), median(b)
	return []Figure{
		fig("tui_first_frame_ms", "", mt, "process start → sign-in screen drawn (title and fields on screen, then %s without output), median of %d runs in an 80x24 pty (p10 %.1f, p90 %.1f)", drawnQuiet, len(t), percentile(t, 10), percentile(t, 90)),
		fig("baseline_first_frame_ms", "", mb, "the same for bench/baseline, a bare Bubble Tea v1 program drawing one line, in turn with twofa, median of %d (p10 %.1f, p90 %.1f)", len(b), percentile(b, 10), percentile(b, 90)),
		fig("tui_first_frame_ratio", "", mt/mb, "tui_first_frame_ms ÷ baseline_first_frame_ms"),
		fig("tui_init_ms", "", twofaInit, "diagnostic: when the last package init of the twofa binary ends, ms after the runtime starts (GODEBUG=inittrace=1, `twofa version`, median of %d)", cfg.FrameRuns),
		fig("baseline_init_ms", "", baseInit, "diagnostic: the same for bench/baseline (median of %d)", cfg.FrameRuns),
	}, nil
}

// flowResult is what the scripted sign-in and enable flow measured.
type flowResult struct {
	PeakRSS      float64
	CodeKeys     []int // bytes written per digit of the code field
	PasswordKeys []int // bytes written per character of the password field
	EnableBytes  int   // bytes written over the whole enable flow
}

// enableFlow drives twofa through sign-in, typing the password key by key,
// and the whole enable wizard, reading the secret off the manual-key view to
// compute the code, typed digit by digit.
func enableFlow(bin, dir, serverURL string, a *account) (flowResult, error) {
	var res flowResult
	env, err := tuiEnv(filepath.Join(dir, "home-enable"), serverURL)
	if err != nil {
		return res, err
	}
	// The signed-in TUI stores its session where a headless twofa does (the
	// kernel keyring here); forget it when the flow ends.
	defer func() {
		_ = keyring.New(keyring.Options{OS: keyring.NoOSKeyring{}}).Delete(serverURL, a.Name)
	}()
	t, err := StartTerm(bin, nil, env)
	if err != nil {
		return res, err
	}
	defer t.Close()
	s := &script{t: t}
	s.step("sign-in screen", "", signInDrawn)
	s.quiet()
	s.step("username", a.Name+"\t", nil)
	s.quiet()
	res.PasswordKeys = s.keystrokes(a.Password)
	s.step("sign in", "\r", securityOff)
	s.quiet()
	before := t.Bytes()
	secret := s.toCodeStep(a.Password)
	res.CodeKeys = s.keystrokes(s.code(secret))
	if !strings.Contains(t.Screen(), "Save your backup codes") {
		s.step("verify & enable", "\r", savedCodes)
	}
	s.step("I've saved these codes", "\r", notSavedPrompt)
	s.step("confirm", "y", []string{"Two-factor authentication"})
	s.quiet()
	if s.err != nil {
		return res, s.err
	}
	res.EnableBytes = t.Bytes() - before
	res.PeakRSS, err = peakRSSMB(t.Pid())
	return res, err
}

// script runs the steps of a scripted TUI session, stopping at the first
// failure: after it every step does nothing and err holds the cause.
type script struct {
	t   *Term
	err error
}

// wait is how long one step may take.
const wait = 20 * time.Second

// keyQuiet is how long output must pause before a keystroke's answer counts
// as complete: several frames of Bubble Tea's 60 fps renderer.
const keyQuiet = 100 * time.Millisecond

// step sends keys, then waits for every want text to be on screen.
func (s *script) step(what, keys string, want []string) {
	if s.err != nil {
		return
	}
	if keys != "" {
		if s.err = s.t.Send(keys); s.err != nil {
			return
		}
	}
	if err := s.t.WaitText(want, wait); err != nil {
		s.err = fmt.Errorf("%s: %w", what, err)
	}
}

// quiet waits until the screen has been drawn and output paused.
func (s *script) quiet() {
	if s.err == nil {
		s.err = s.t.WaitQuiet(drawnQuiet, wait)
	}
}

// keystrokes types keys one by one and returns, per key, the bytes the
// program wrote until its output went quiet again: what an SSH link carries.
func (s *script) keystrokes(keys string) []int {
	var per []int
	for _, k := range keys {
		if s.err != nil {
			return per
		}
		before := s.t.Bytes()
		if s.err = s.t.Send(string(k)); s.err != nil {
			return per
		}
		// Output for a keystroke starts within a frame or two; a keystroke
		// that changes nothing on screen may rightly cost no bytes at all.
		if s.t.WaitOutput(before, time.Second) {
			s.err = s.t.WaitQuiet(keyQuiet, wait)
		}
		per = append(per, s.t.Bytes()-before)
	}
	return per
}

// toCodeStep goes from Security through the enable wizard's password and
// QR steps (reading the secret off the manual-key view) to its code step,
// drawn, and returns the secret.
func (s *script) toCodeStep(password string) string {
	s.step("enable", "e", confirmItsYou)
	s.step("password again", password+"\r", qrStep)
	s.step("manual key", "k", manualKey)
	secret := s.secret()
	s.step("code step", "\r", codeStep)
	s.quiet()
	return secret
}

// secret reads the TOTP secret off the manual-key view.
func (s *script) secret() string {
	if s.err != nil {
		return ""
	}
	key, err := readManualKey(s.t.Screen())
	s.err = err
	return key
}

// code is the TOTP code of secret for the current step.
func (s *script) code(secret string) string {
	if s.err != nil {
		return ""
	}
	c, err := totpCode(secret, auth.Step(time.Now()))
	s.err = err
	return c
}

// medianInts is the median of ns.
func medianInts(ns []int) float64 {
	xs := make([]float64, len(ns))
	for i, n := range ns {
		xs[i] = float64(n)
	}
	return median(xs)
}

// keyGroups matches the manual entry key as drawn: groups of up to four
// base32 characters separated by single spaces.
var keyGroups = regexp.MustCompile(`^[A-Z2-7]{1,4}( [A-Z2-7]{1,4})*`)

// readManualKey collects the grouped secret printed under "Manual entry key".
func readManualKey(screen string) (string, error) {
	lines := strings.Split(screen, "\n")
	for i, l := range lines {
		col := strings.Index(l, "Manual entry key")
		if col < 0 {
			continue
		}
		var key strings.Builder
		for _, next := range lines[i+1:] {
			r := []rune(next)
			c := len([]rune(l[:col]))
			if c > len(r) {
				break
			}
			// The key starts in the title's column; a line blank there
			// (maybe with the side pane's text further right) is a gap.
			seg := strings.TrimRight(string(r[c:]), " ")
			if seg == "" || seg[0] == ' ' {
				if key.Len() == 0 {
					continue
				}
				break
			}
			m := keyGroups.FindString(seg)
			if m == "" || len(m) < len(seg) && seg[len(m)] != ' ' {
				break
			}
			key.WriteString(strings.ReplaceAll(m, " ", ""))
		}
		if key.Len() < 16 {
			return "", fmt.Errorf("no manual entry key under its title; screen:\n%s", screen)
		}
		return key.String(), nil
	}
	return "", fmt.Errorf("no manual entry key on screen:\n%s", screen)
}
