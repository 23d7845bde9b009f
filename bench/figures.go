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

// printLines writes one "name: value" line per figure, machine-readable.
func printLines(w io.Writer, figs []Figure) {
	for _, f := range figs {
		if f.Err != nil {
			fmt.Fprintf(w, "%s: n/a (%v)\n", f.Name, f.Err)
			continue
		}
		fmt.Fprintf(w, "%s: %s\n", f.Name, num(f.Value))
	}
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
