package app

import (
	"context"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"
	"github.com/twofa/twofa/server"
	"github.com/twofa/twofa/ui/words"
)

// require2FAOptions are the flags of `twofa admin require-2fa`.
type require2FAOptions struct {
	role  string
	grace string
	off   bool
}

// newCmdRequire2FA returns `twofa admin require-2fa`; db is the admin
// command's --db flag.
func newCmdRequire2FA(f *Factory, db *string) *cobra.Command {
	o := &require2FAOptions{}
	c := &cobra.Command{
		Use:   "require-2fa --role ROLE [--grace 7d] [--off]",
		Short: "Require 2FA for a role, with a grace period (without --role: list the rules)",
		Long: `Require two-factor authentication for every account of a role [ext].
An account of the role without 2FA is told at sign-in how long it has left;
the grace counts from now, or from the account's creation when later. After
it, signing in gives a session good only for enabling 2FA: every other route
answers 403 enrollment_required. --off ends the requirement.`,
		Args: cobra.NoArgs,
		RunE: func(c *cobra.Command, _ []string) error {
			dsn, err := resolveDB(f, *db)
			if err != nil {
				return &ExitError{Code: 2, Err: err}
			}
			return runRequire2FA(c.Context(), f, dsn, o)
		},
	}
	c.Flags().StringVar(&o.role, "role", "", "the role: admin or user")
	c.Flags().StringVar(&o.grace, "grace", "7d", "how long an account may go without 2FA: 7d, 36h, 0 for none")
	c.Flags().BoolVar(&o.off, "off", false, "stop requiring 2FA for the role")
	return c
}

// parseGrace reads "7d", "1d12h" style days or a Go duration ("36h", "0").
func parseGrace(s string) (time.Duration, error) {
	days := time.Duration(0)
	if d, rest, ok := strings.Cut(s, "d"); ok {
		n, err := strconv.Atoi(d)
		if err != nil || n < 0 {
			return 0, fmt.Errorf("--grace %q: want days like 7d, or a duration like 36h", s)
		}
		days, s = time.Duration(n)*24*time.Hour, rest
		if s == "" {
			return days, nil
		}
	}
	d, err := time.ParseDuration(s)
	if err != nil || d < 0 {
		return 0, fmt.Errorf("--grace %q: want days like 7d, or a duration like 36h", s)
	}
	return days + d, nil
}

// runRequire2FA sets, ends or lists the rules.
func runRequire2FA(ctx context.Context, f *Factory, dsn string, o *require2FAOptions) error {
	if err := ensureSQLiteDir(dsn); err != nil {
		return err
	}
	grace, err := parseGrace(o.grace)
	if err != nil {
		return &ExitError{Code: 2, Err: err}
	}
	if o.role != "" && o.role != "admin" && o.role != "user" {
		return &ExitError{Code: 2, Err: fmt.Errorf("--role %q: want admin or user", o.role)}
	}
	if o.off && o.role == "" {
		return &ExitError{Code: 2, Err: fmt.Errorf("--off needs --role")}
	}
	actor := f.Getenv("USER")
	if actor == "" {
		actor = "admin"
	}
	a, err := server.OpenAdmin(ctx, server.AdminOptions{DSN: dsn, Actor: actor, Addr: "cli"})
	if err != nil {
		return err
	}
	defer a.Close()
	out := f.IO.Out
	if o.role == "" {
		return printRequirements(ctx, out, a)
	}
	if err := a.Require2FA(ctx, o.role, grace, o.off); err != nil {
		return err
	}
	if o.off {
		fmt.Fprintf(out, "Role %s no longer requires two-factor authentication.\n", o.role)
		return nil
	}
	fmt.Fprintf(out, "Role %s now requires two-factor authentication. Accounts without it have %s to enable it (from now, or from their creation when later); then they can only sign in to enable it.\n", o.role, words.Days(grace))
	return nil
}

// printRequirements lists the roles that require 2FA.
func printRequirements(ctx context.Context, out io.Writer, a *server.Admin) error {
	list, err := a.Requirements(ctx)
	if err != nil {
		return err
	}
	if len(list) == 0 {
		fmt.Fprintln(out, "No role requires two-factor authentication.")
		return nil
	}
	tw := tabwriter.NewWriter(out, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ROLE\tGRACE\tSINCE")
	for _, r := range list {
		fmt.Fprintf(tw, "%s\t%s\t%s\n", r.Role, words.Days(r.Grace), words.Time(r.Since))
	}
	return tw.Flush()
}
