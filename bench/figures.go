package main

import (
	"fmt"
	"io"
	"math"
	"strings"
	"text/tabwriter"
)

// cmp is how a figure is held against its goal.
type cmp int

const (
	noGoal  cmp = iota // reported for context only
	atMost             // value <= goal
	atLeast            // value >= goal
	exactly            // value == goal
)

// group is the part of the run that measures a set of figures: when it
// fails, the figures it did not reach carry its error.
type group string

const (
	frameGroup   group = "tui first frame"
	flowGroup    group = "tui enable flow"
	sshIdleGroup group = "ssh idle sessions"
	sshKeysGroup group = "ssh keystrokes"
	serverGroup  group = "server"
	backupGroup  group = "backup codes" // SQLite only: its costs are the server's, not the database's
	soakGroup    group = "soak"
)

// spec is a figure's group, unit and goal, fixed by the issues that asked for it.
type spec struct {
	Name  string
	Group group
	Unit  string
	Cmp   cmp
	Goal  float64
}

// specs lists every figure the harness reports, with its goal. Figures
// without a goal are the floors and context their ratios are built from.
var specs = []spec{
	{"tui_first_frame_ms", frameGroup, "ms", noGoal, 0},
	{"baseline_first_frame_ms", frameGroup, "ms", noGoal, 0},
	{"tui_first_frame_ratio", frameGroup, "×", atMost, 1.3},
	{"tui_init_ms", frameGroup, "ms", noGoal, 0},
	{"baseline_init_ms", frameGroup, "ms", noGoal, 0},
	{"tui_peak_rss_mb", flowGroup, "MiB", atMost, 30},
	{"tui_bytes_per_keystroke", flowGroup, "B", atMost, 80},
	{"tui_bytes_per_password_keystroke", flowGroup, "B", atMost, 80},
	{"tui_enable_flow_bytes", flowGroup, "B", noGoal, 0},
	{"ssh_gateway_rss_mb", sshIdleGroup, "MiB", noGoal, 0},
	{"ssh_50_idle_sessions_rss_mb", sshIdleGroup, "MiB", atMost, 250},
	{"ssh_rss_per_idle_session_mb", sshIdleGroup, "MiB", noGoal, 0},
	{"ssh_idle_sessions_per_gb", sshIdleGroup, "", noGoal, 0},
	{"ssh_bytes_per_keystroke", sshKeysGroup, "B", noGoal, 0},
	{"ssh_wire_bytes_per_keystroke", sshKeysGroup, "B", noGoal, 0},
	{"server_idle_rss_mb", serverGroup, "MiB", noGoal, 0},
	{"health_per_s", serverGroup, "/s", noGoal, 0},
	{"http_floor_per_s", serverGroup, "/s", noGoal, 0},
	{"validate_per_s", serverGroup, "/s", noGoal, 0},
	{"validate_p99_ms", serverGroup, "ms", noGoal, 0},
	{"validate_errors", serverGroup, "", exactly, 0},
	{"validate_vs_http_floor", serverGroup, "×", atLeast, 0.5},
	{"db_floor_per_s", serverGroup, "/s", noGoal, 0},
	{"validate_vs_db_floor", serverGroup, "×", atLeast, 0.5},
	{"server_peak_rss_mb", serverGroup, "MiB", atMost, 80},
	{"lockout_evaluated_in_burst", serverGroup, "", exactly, 5},
	{"backup_check_speedup_vs_bcrypt_scan", backupGroup, "×", atLeast, 1000},
	{"backup_wrong_check_cpu_ms", backupGroup, "ms", noGoal, 0},
	{"backup_right_check_cpu_ms", backupGroup, "ms", noGoal, 0},
	{"bcrypt_scan_cpu_ms", backupGroup, "ms", noGoal, 0},
	{"kdf_limit_per_s", serverGroup, "/s", noGoal, 0},
	{"login_per_s", serverGroup, "/s", noGoal, 0},
	{"login_vs_kdf_limit", serverGroup, "×", atLeast, 0.8},
	{"login_errors", serverGroup, "", exactly, 0},
	{"server_peak_rss_login_mb", serverGroup, "MiB", atMost, 150},
	{"soak_per_s", soakGroup, "/s", noGoal, 0},
	{"soak_p50_ms", soakGroup, "ms", noGoal, 0},
	{"soak_p99_ms", soakGroup, "ms", noGoal, 0},
	{"soak_errors", soakGroup, "", exactly, 0},
	{"soak_signin_per_s", soakGroup, "/s", noGoal, 0},
	{"soak_signin_p99_ms", soakGroup, "ms", noGoal, 0},
	{"soak_peak_rss_mb", soakGroup, "MiB", noGoal, 0},
}

// fig builds a measured figure from its spec, its note a format for args;
// db, when not "" or "sqlite", suffixes the name (validate_per_s_postgres).
func fig(name, db string, value float64, note string, args ...any) Figure {
	for _, s := range specs {
		if s.Name == name {
			if len(args) > 0 {
				note = fmt.Sprintf(note, args...)
			}
			return Figure{Name: suffixed(name, db), Value: value, Unit: s.Unit, Cmp: s.Cmp, Goal: s.Goal, Note: note}
		}
	}
	panic("bench: figure " + name + " has no spec")
}

// done returns figs and, when err is set, every figure of g on db that figs
// lacks, carrying err.
func (g group) done(db string, figs []Figure, err error) []Figure {
	if err == nil {
		return figs
	}
	if db == "" {
		logf("%s: %v", g, err)
	} else {
		logf("%s %s: %v", db, g, err)
	}
	have := map[string]bool{}
	for _, f := range figs {
		have[f.Name] = true
	}
	for _, s := range specs {
		if s.Group == g && !have[suffixed(s.Name, db)] {
			f := fig(s.Name, db, 0, "")
			f.Err = err
			figs = append(figs, f)
		}
	}
	return figs
}

// suffixed adds the database to a server figure's name, except for SQLite,
// which keeps the plain names of the issue.
func suffixed(name, db string) string {
	if db == "" || db == "sqlite" {
		return name
	}
	return name + "_" + db
}

// Figure is one measured number with its goal.
type Figure struct {
	Name  string
	Value float64
	Unit  string
	Cmp   cmp
	Goal  float64
	Note  string // how it was measured, or why it is missing
	Err   error  // set when the figure could not be measured
}

// Met reports whether the figure meets its goal; figures without a goal or
// without a value never "meet" anything.
func (f Figure) Met() bool {
	if f.Err != nil {
		return false
	}
	switch f.Cmp {
	case atMost:
		return f.Value <= f.Goal
	case atLeast:
		return f.Value >= f.Goal
	case exactly:
		return f.Value == f.Goal
	}
	return false
}

// GoalText renders the goal as "≤ 1.3", "≥ 1000", "= 5" or "—".
func (f Figure) GoalText() string {
	switch f.Cmp {
	case atMost:
		return "≤ " + num(f.Goal)
	case atLeast:
		return "≥ " + num(f.Goal)
	case exactly:
		return "= " + num(f.Goal)
	}
	return "—"
}

// Verdict is "met", "MISSED", "not measured" or "" (no goal).
func (f Figure) Verdict() string {
	switch {
	case f.Err != nil:
		return "not measured"
	case f.Cmp == noGoal:
		return ""
	case f.Met():
		return "met"
	}
	return "MISSED"
}

// ValueText is the value with its unit, or the error's short form.
func (f Figure) ValueText() string {
	if f.Err != nil {
		return "n/a"
	}
	if f.Unit == "" {
		return num(f.Value)
	}
	return num(f.Value) + " " + f.Unit
}

// num formats a number with precision suited to its size.
func num(v float64) string {
	a := math.Abs(v)
	switch {
	case v == math.Trunc(v) && a < 1e15:
		return fmt.Sprintf("%.0f", v)
	case a >= 100:
		return fmt.Sprintf("%.0f", v)
	case a >= 10:
		return fmt.Sprintf("%.1f", v)
	case a >= 1:
		return fmt.Sprintf("%.2f", v)
	}
	return fmt.Sprintf("%.3g", v)
}

// printTable writes the figures as an aligned table for people.
func printTable(w io.Writer, figs []Figure) {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "FIGURE\tVALUE\tGOAL\tVERDICT")
	for _, f := range figs {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", f.Name, f.ValueText(), f.GoalText(), f.Verdict())
	}
	_ = tw.Flush()
}

// markdownTable renders the figures as a Markdown table with their notes.
func markdownTable(figs []Figure) string {
	var b strings.Builder
	b.WriteString("| figure | value | goal | verdict | how |\n|---|---|---|---|---|\n")
	for _, f := range figs {
		note := f.Note
		if f.Err != nil {
			note = "not measured: " + f.Err.Error()
		}
		fmt.Fprintf(&b, "| `%s` | %s | %s | %s | %s |\n", f.Name, f.ValueText(), f.GoalText(),
			f.Verdict(), strings.ReplaceAll(note, "|", "\\|"))
	}
	return b.String()
}
