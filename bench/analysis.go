package main

import (
	"fmt"
	"runtime"
	"strings"

	"github.com/twofa/twofa/server/auth"
)

// figSet looks figures up by name.
type figSet map[string]Figure

// val returns the named figure's value and whether it was measured.
func (s figSet) val(name string) (float64, bool) {
	f, ok := s[name]
	return f.Value, ok && f.Err == nil
}

// vals returns the values of names, and false unless all were measured.
func (s figSet) vals(names ...string) ([]float64, bool) {
	out := make([]float64, len(names))
	for i, n := range names {
		v, ok := s.val(n)
		if !ok {
			return nil, false
		}
		out[i] = v
	}
	return out, true
}

// verdict is the named figure's goal and verdict, as "goal ≤ 80: MISSED".
func (s figSet) verdict(name string) string {
	f := s[name]
	return fmt.Sprintf("goal %s: %s", f.GoalText(), f.Verdict())
}

// analysis explains the run from its own figures: every number in it is one
// of the figures or computed from them, so it cannot go stale.
func analysis(figs []Figure, cfg config, rn runInfo) string {
	fs := figSet{}
	var missed, absent []string
	for _, f := range figs {
		fs[f.Name] = f
		switch f.Verdict() {
		case "MISSED":
			missed = append(missed, "`"+f.Name+"`")
		case "not measured":
			absent = append(absent, "`"+f.Name+"`")
		}
	}
	var b strings.Builder
	switch {
	case len(missed) == 0:
		b.WriteString("Every goal measured was met.")
	default:
		fmt.Fprintf(&b, "Missed: %s.", strings.Join(missed, ", "))
	}
	if len(absent) > 0 {
		fmt.Fprintf(&b, " Not measured: %s (see the table for why).", strings.Join(absent, ", "))
	}
	b.WriteString("\n\n")
	parts := []string{tuiAnalysis(fs), sshAnalysis(fs)}
	for _, db := range []string{"sqlite", "postgres"} {
		parts = append(parts, validateAnalysis(fs, cfg, db), loginAnalysis(fs, db))
	}
	parts = append(parts, guardAnalysis(fs, cfg), soakAnalysis(fs, cfg),
		fmt.Sprintf("**Noise.** The machine is shared: its load average was %s before the run and %s after. Rates move between runs; a ratio of two figures measured side by side moves less. `go run ./bench --quick` measures the same figures with smaller counts.", rn.LoadBefore, rn.LoadAfter))
	for _, p := range parts {
		if p != "" {
			b.WriteString(p + "\n\n")
		}
	}
	return b.String()
}

// tuiAnalysis explains the first frame and the bytes written to the terminal.
func tuiAnalysis(fs figSet) string {
	var out []string
	if v, ok := fs.vals("tui_first_frame_ms", "baseline_first_frame_ms", "tui_first_frame_ratio", "tui_init_ms", "baseline_init_ms"); ok {
		out = append(out, fmt.Sprintf("**First frame.** twofa drew its sign-in screen %.1f ms after the fork, the baseline its line %.1f ms: %.2f× (%s). Package initialisation alone ends %.1f ms after the runtime starts in twofa and %.1f ms in the baseline: %.1f ms of the %.1f ms between them.",
			v[0], v[1], v[2], fs.verdict("tui_first_frame_ratio"), v[3], v[4], v[3]-v[4], v[0]-v[1]))
	}
	if v, ok := fs.vals("tui_bytes_per_keystroke", "tui_bytes_per_password_keystroke", "tui_enable_flow_bytes", "tui_peak_rss_mb"); ok {
		out = append(out, fmt.Sprintf("**Bytes to the terminal.** Each digit typed into the code field made twofa write %.0f bytes (%s); each character of the password field %.0f bytes (%s). The whole enable flow wrote %.0f bytes (%.1f KiB). Peak RSS over sign-in and the flow: %.1f MiB (%s).",
			v[0], fs.verdict("tui_bytes_per_keystroke"), v[1], fs.verdict("tui_bytes_per_password_keystroke"), v[2], v[2]/1024, v[3], fs.verdict("tui_peak_rss_mb")))
	}
	return strings.Join(out, "\n\n")
}

// validateAnalysis splits the time between two validations at saturation
// into the bare UPDATE, the HTTP stack around it and the validation's work.
func validateAnalysis(fs figSet, cfg config, db string) string {
	n := func(s string) string { return suffixed(s, db) }
	v, ok := fs.vals(n("validate_per_s"), n("http_floor_per_s"), n("db_floor_per_s"), n("validate_p99_ms"), n("validate_errors"))
	if !ok {
		return ""
	}
	per := func(r float64) float64 { return 1000 / r }
	stack := per(v[1]) - per(v[2])
	stackText := fmt.Sprintf("the HTTP stack around it (client, net/http, request log, JSON both ways) for %.3f ms", stack)
	if stack < 0 {
		stackText = fmt.Sprintf("and the HTTP floor measured %.3f ms faster than the bare UPDATE, so the two floors moved apart between their measures", -stack)
	}
	return fmt.Sprintf("**Validations (%s).** With %d clients a validation completed every %.3f ms (%.0f/s, p99 %s ms; %.0f failed, %s). Of that, the bare conditional UPDATE accounts for %.3f ms (%.0f/s), %s, and the validation's own work — everything it does beyond one UPDATE — for %.3f ms. `%s` = %.3g (%s); `%s` = %.3g (%s).",
		dbName(db), cfg.Clients, per(v[0]), v[0], num(v[3]), v[4], fs.verdict(n("validate_errors")), per(v[2]), v[2], stackText, per(v[0])-per(v[1]),
		n("validate_vs_http_floor"), v[0]/v[1], fs.verdict(n("validate_vs_http_floor")),
		n("validate_vs_db_floor"), v[0]/v[2], fs.verdict(n("validate_vs_db_floor")))
}

// loginAnalysis holds sign-ins against the KDF floor and the memory bound.
func loginAnalysis(fs figSet, db string) string {
	n := func(s string) string { return suffixed(s, db) }
	v, ok := fs.vals(n("login_per_s"), n("kdf_limit_per_s"), n("server_peak_rss_login_mb"), n("login_errors"))
	if !ok {
		return ""
	}
	ratio := v[0] / v[1]
	s := fmt.Sprintf("**Sign-ins (%s).** %.1f/s against %.1f/s of saturated hashing measured around its rounds: %.3g (%s); %.0f failed (%s).",
		dbName(db), v[0], v[1], ratio, fs.verdict(n("login_vs_kdf_limit")), v[3], fs.verdict(n("login_errors")))
	if ratio > 1.05 {
		s += " Above 1, so the floor itself moved while the rounds ran (each window's rate is in the table's note)."
	}
	at, mib := passwordDerivationsAtOnce()
	argon := float64(at) * mib
	return s + fmt.Sprintf(" Peak RSS over the burst: %.0f MiB (%s). argon2id's own memory is at most %d × %.0f MiB = %.0f MiB (the server's bound: one derivation per core on %d cores, and all of them within an argon2id memory budget of %.0f MiB), so %.0f MiB of the peak is the rest of the process.",
		v[2], fs.verdict(n("server_peak_rss_login_mb")), at, mib, argon, auth.MaxConcurrentDerivations(), float64(auth.MemoryBudget())/1024, v[2]-argon)
}

// passwordDerivationsAtOnce is how many password derivations the server's
// bound (auth: one per core, within its memory budget; one larger than
// the budget runs alone) lets run at once, and each one's memory in MiB.
// The harness links the same auth package on the same cores.
func passwordDerivationsAtOnce() (int, float64) {
	kib := int64(auth.PasswordParams.Memory)
	at := max(min(int64(auth.MaxConcurrentDerivations()), auth.MemoryBudget()/kib), 1)
	return int(at), float64(kib) / 1024
}

// guardAnalysis covers the lockout burst and the backup-code costs.
func guardAnalysis(fs figSet, cfg config) string {
	var out []string
	for _, db := range []string{"sqlite", "postgres"} {
		if v, ok := fs.val(suffixed("lockout_evaluated_in_burst", db)); ok {
			out = append(out, fmt.Sprintf("**Lockout (%s).** Of %d concurrent wrong codes at one pending sign-in the server evaluated %.0f (%s).",
				dbName(db), cfg.Burst, v, fs.verdict(suffixed("lockout_evaluated_in_burst", db))))
		}
	}
	if v, ok := fs.vals("backup_wrong_check_cpu_ms", "bcrypt_scan_cpu_ms", "backup_right_check_cpu_ms"); ok {
		out = append(out, fmt.Sprintf("**Backup codes.** A wrong backup code cost the server %.3g ms of CPU, HTTP included, against %.0f ms for CoPilot's bcrypt scan: %.0f× (%s); a right one %.1f ms.",
			v[0], v[1], v[1]/v[0], fs.verdict("backup_check_speedup_vs_bcrypt_scan"), v[2]))
	}
	return strings.Join(out, "\n\n")
}

// soakAnalysis summarises the soak.
func soakAnalysis(fs figSet, cfg config) string {
	v, ok := fs.vals("soak_per_s", "soak_p50_ms", "soak_p99_ms", "soak_errors", "soak_peak_rss_mb")
	if !ok {
		return ""
	}
	s := fmt.Sprintf("**Soak (Postgres, two servers).** %d clients mixing sign-ins, validations and status reads for %s completed %.0f requests a second: p50 %s ms, p99 %s ms (per kind in the table's note). %.0f requests failed (%s). The larger server peaked at %.0f MiB.",
		cfg.Clients, cfg.SoakFor, v[0], num(v[1]), num(v[2]), v[3], fs.verdict("soak_errors"), v[4])
	if si, ok := fs.vals("soak_signin_per_s", "soak_signin_p99_ms"); ok && si[0] > 0 {
		at, mib := passwordDerivationsAtOnce()
		s += fmt.Sprintf(" The tail is the sign-ins (p99 %s ms): they ran at %.1f/s, what the machine hashes — each server runs %d argon2id derivation%s of %.0f MiB at a time (its memory budget), on the same %d cores — and a person's other requests take milliseconds, so nearly all %d wait for a sign-in at any moment: about %d ÷ %.1f/s = %.1f s each by Little's law, as long as the password checks take their turns in order.",
			num(si[1]), si[0], at, plural(at), mib, runtime.NumCPU(), cfg.Clients, cfg.Clients, si[0], float64(cfg.Clients)/si[0])
	}
	return s
}

// plural is "s" unless n is 1.
func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

// dbName is the database's name in prose.
func dbName(db string) string {
	if db == "postgres" {
		return "Postgres"
	}
	return "SQLite"
}
