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

// tuiFigures are the names benchTUI reports, in order.
var tuiFigures = []string{"tui_first_frame_ms", "baseline_first_frame_ms", "tui_first_frame_ratio", "tuionly_first_frame_ms", "tuionly_first_frame_ratio", "tui_peak_rss_mb", "tui_bytes_per_keystroke"}

// benchTUI measures the terminal UI against a `twofa serve` on a temp SQLite
// file: the first frame (against the baseline), peak RSS through the enable
// flow, and bytes written per keystroke in the code field.
func benchTUI(ctx context.Context, cfg config, bins binaries, tmp string) []Figure {
	dir := filepath.Join(tmp, "tui")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return figErr(err, "", tuiFigures...)
	}
	dsn := "sqlite:" + filepath.Join(dir, "tui.db")
	jwt := newJWTSecret()
	accts, err := createAccounts(ctx, dsn, jwt, "tui", 1, false, hashing{}, 1)
	if err != nil {
		return figErr(err, "", tuiFigures...)
	}
	srv, err := startServer(bins.Twofa, dsn, jwt, dir)
	if err != nil {
		return figErr(err, "", tuiFigures...)
	}
	defer srv.Stop()

	figs, err := measureFirstFrame(cfg, bins, dir, srv.URL)
	if err != nil {
		logf("tui first frame: %v", err)
		figs = figErr(err, "", tuiFigures[:5]...)
	}
	flow, err := enableFlow(bins.Twofa, dir, srv.URL, accts[0])
	if err != nil {
		logf("tui enable flow: %v", err)
		return append(figs, figErr(err, "", tuiFigures[5:]...)...)
	}
	return append(figs,
		fig("tui_peak_rss_mb", "", flow.PeakRSS, "VmHWM of twofa after sign-in → Security → enable wizard (password, QR, manual key, code, backup codes) → 2FA on"),
		fig("tui_bytes_per_keystroke", "", flow.BytesPerKey, fmt.Sprintf("median bytes the program wrote to the pty per digit typed in the wizard's code field (per digit: %v)", flow.PerKey)),
	)
}

// measureFirstFrame runs twofa, the baseline and the TUI-only diagnostic
// build round-robin, each in a fresh pty with a fresh HOME, and compares
// their medians.
func measureFirstFrame(cfg config, bins binaries, dir, serverURL string) ([]Figure, error) {
	progs := []struct {
		bin  string
		want []string
		runs []time.Duration
	}{
		{bins.Twofa, signInDrawn, nil},
		{bins.Baseline, baselineDrawn, nil},
		{bins.TUIOnly, signInDrawn, nil},
	}
	logf("first frame: %d runs each of twofa, the baseline and the TUI-only build, in turn", cfg.FrameRuns)
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
			p.runs = append(p.runs, d)
		}
	}
	mt, mb, mo := median(ms(progs[0].runs)), median(ms(progs[1].runs)), median(ms(progs[2].runs))
	return []Figure{
		fig("tui_first_frame_ms", "", mt, fmt.Sprintf("process start → sign-in screen drawn (title and fields on screen, then %s without output), median of %d runs in an 80x24 pty (p10 %.1f, p90 %.1f)", drawnQuiet, len(progs[0].runs), percentile(ms(progs[0].runs), 10), percentile(ms(progs[0].runs), 90))),
		fig("baseline_first_frame_ms", "", mb, fmt.Sprintf("the same for bench/baseline, a bare Bubble Tea v1 program drawing one line, in turn with twofa, median of %d (p10 %.1f, p90 %.1f)", len(progs[1].runs), percentile(ms(progs[1].runs), 10), percentile(ms(progs[1].runs), 90))),
		fig("tui_first_frame_ratio", "", mt/mb, "tui_first_frame_ms ÷ baseline_first_frame_ms"),
		fig("tuionly_first_frame_ms", "", mo, "diagnostic: bench/tuionly, twofa's screens, client and keyring without the commands that link the server, same runs"),
		fig("tuionly_first_frame_ratio", "", mo/mb, "diagnostic: tuionly_first_frame_ms ÷ baseline_first_frame_ms"),
	}, nil
}

// flowResult is what the scripted enable flow measured.
type flowResult struct {
	PeakRSS     float64
	BytesPerKey float64
	PerKey      []int
}

// enableFlow drives twofa through sign-in and the whole enable wizard,
// reading the secret off the manual-key view to compute the code.
func enableFlow(bin, dir, serverURL string, acct *account) (flowResult, error) {
	var res flowResult
	env, err := tuiEnv(filepath.Join(dir, "home-enable"), serverURL)
	if err != nil {
		return res, err
	}
	// The signed-in TUI stores its session where a headless twofa does (the
	// kernel keyring here); forget it when the flow ends.
	defer func() {
		_ = keyring.New(keyring.Options{OS: keyring.NoOSKeyring{}}).Delete(serverURL, acct.Name)
	}()
	t, err := StartTerm(bin, nil, env)
	if err != nil {
		return res, err
	}
	defer t.Close()
	const wait = 20 * time.Second
	step := func(what string, send string, want []string) error {
		if send != "" {
			if err := t.Send(send); err != nil {
				return err
			}
		}
		if err := t.WaitText(want, wait); err != nil {
			return fmt.Errorf("%s: %w", what, err)
		}
		return nil
	}
	if err := step("sign-in screen", "", signInDrawn); err != nil {
		return res, err
	}
	if err := t.WaitQuiet(drawnQuiet, wait); err != nil {
		return res, err
	}
	if err := step("sign in", acct.Name+"\t"+acct.Password+"\r", securityOff); err != nil {
		return res, err
	}
	if err := step("enable", "e", confirmItsYou); err != nil {
		return res, err
	}
	if err := step("password again", acct.Password+"\r", qrStep); err != nil {
		return res, err
	}
	if err := step("manual key", "k", manualKey); err != nil {
		return res, err
	}
	secret, err := readManualKey(t.Screen())
	if err != nil {
		return res, err
	}
	key, err := decodeSecret(secret)
	if err != nil {
		return res, err
	}
	if err := step("code step", "\r", codeStep); err != nil {
		return res, err
	}
	if err := t.WaitQuiet(drawnQuiet, wait); err != nil {
		return res, err
	}
	// Type the code digit by digit; count what each keystroke makes the
	// program write until output goes quiet again.
	code := hotp(key, stepAt(time.Now()))
	for _, d := range code {
		before := t.Bytes()
		if err := t.Send(string(d)); err != nil {
			return res, err
		}
		// Output for a keystroke starts within a frame or two; a keystroke
		// that changes nothing on screen may rightly cost no bytes at all.
		if t.WaitOutput(before, time.Second) {
			if err := t.WaitQuiet(100*time.Millisecond, wait); err != nil {
				return res, err
			}
		}
		res.PerKey = append(res.PerKey, t.Bytes()-before)
	}
	var per []float64
	for _, n := range res.PerKey {
		per = append(per, float64(n))
	}
	res.BytesPerKey = median(per)
	if !strings.Contains(t.Screen(), "Save your backup codes") {
		if err := step("verify & enable", "\r", savedCodes); err != nil {
			return res, err
		}
	}
	if err := step("I've saved these codes", "\r", notSavedPrompt); err != nil {
		return res, err
	}
	if err := step("confirm", "y", []string{"Two-factor authentication"}); err != nil {
		return res, err
	}
	if err := t.WaitQuiet(drawnQuiet, wait); err != nil {
		return res, err
	}
	res.PeakRSS, err = peakRSSMB(t.Pid())
	return res, err
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
