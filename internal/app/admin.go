package app

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"
	"github.com/twofa/twofa/server"
	"github.com/twofa/twofa/ui/words"
	"golang.org/x/term"
)

// minPasswordLen is the shortest password admin commands accept (NIST SP 800-63B 5.1.1.2).
const minPasswordLen = 8

// AdminOptions are the inputs shared by the `twofa admin` subcommands.
type AdminOptions struct {
	Factory       *Factory
	DB            string
	Args          []string
	Role          string
	PasswordStdin bool
	Limit         int
	// Action names the subcommand ("create-user", …).
	Action string
	// ReadPassword prompts without echo; nil uses the terminal on stdin.
	ReadPassword func(prompt string) (string, error)
}

// NewCmdAdmin returns `twofa admin` and its subcommands, which work directly on the database.
func NewCmdAdmin(f *Factory, runF func(*AdminOptions) error) *cobra.Command {
	var db string
	cmd := &cobra.Command{
		Use:   "admin",
		Short: "Manage the reference server's accounts directly in its database",
		Long: `Manage accounts of the reference server (twofa serve) directly in its database.
Works while the server runs. The database is --db, else TWOFA_DB, else the
default SQLite file under $XDG_DATA_HOME/twofa (the same one twofa serve uses).

Passwords are read without echo from the terminal, or from the first line of
standard input with --password-stdin; never from an argument.`,
		Args: cobra.NoArgs,
	}
	cmd.PersistentFlags().StringVar(&db, "db", "", "database: sqlite:PATH or postgres://… (env TWOFA_DB)")

	sub := func(use, short, long string, args cobra.PositionalArgs, setup func(*cobra.Command, *AdminOptions)) {
		opts := &AdminOptions{Factory: f}
		c := &cobra.Command{
			Use:   use,
			Short: short,
			Long:  long,
			Args:  args,
			RunE: func(c *cobra.Command, args []string) error {
				opts.Action = c.Name()
				opts.Args = args
				dsn, err := resolveDB(f, db)
				if err != nil {
					return &ExitError{Code: 2, Err: err}
				}
				opts.DB = dsn
				if runF != nil {
					return runF(opts)
				}
				return runAdmin(c.Context(), opts)
			},
		}
		if setup != nil {
			setup(c, opts)
		}
		cmd.AddCommand(c)
	}
	pwStdin := func(c *cobra.Command, o *AdminOptions) {
		c.Flags().BoolVar(&o.PasswordStdin, "password-stdin", false, "read the password from the first line of standard input")
	}
	sub("create-user NAME", "Create an account", "Create an account. The password is asked twice without echo, or read from stdin with --password-stdin.",
		cobra.ExactArgs(1), func(c *cobra.Command, o *AdminOptions) {
			c.Flags().StringVar(&o.Role, "role", "user", "account role: admin or user")
			pwStdin(c, o)
		})
	sub("set-password NAME", "Set an account's password and sign it out everywhere", "", cobra.ExactArgs(1), pwStdin)
	sub("reset-2fa NAME", "Remove an account's 2FA, clear its lock and revoke its sessions",
		"What an admin does for a user who lost their authenticator and backup codes or is locked out:\nthe secret and backup codes are deleted, the failure count and lock cleared, and every session revoked.\nThe user signs in with the password alone and can enable 2FA again.",
		cobra.ExactArgs(1), nil)
	sub("unlock NAME", "Clear an account's second-factor lock and failure count, and its failed sign-ins", "", cobra.ExactArgs(1), nil)
	sub("list-users", "List accounts: role, 2FA on/off, backup codes left, locked until", "", cobra.NoArgs, nil)
	sub("rotate-key", "Re-encrypt every TOTP secret under the first TOTP_ENCRYPTION_KEY",
		`Re-encrypt every stored TOTP secret under the first key of TOTP_ENCRYPTION_KEY.
List the new key first and keep the old ones after it, run this, then drop the
old keys from TOTP_ENCRYPTION_KEY. With TOTP_ENCRYPTION_KEY unset, the key
derived from JWT_SECRET is used (as twofa serve does).

  export TOTP_ENCRYPTION_KEY="$(openssl rand -base64 32 | tr '+/' '-_'),$OLD_KEY"
  twofa admin rotate-key`,
		cobra.NoArgs, nil)
	sub("audit [NAME]", "Show the audit log, newest first (one account's with NAME)", "", cobra.MaximumNArgs(1),
		func(c *cobra.Command, o *AdminOptions) {
			c.Flags().IntVar(&o.Limit, "limit", 50, "show at most this many events")
		})
	cmd.AddCommand(newCmdRequire2FA(f, &db))
	return cmd
}

// runAdmin opens the database and performs one admin action.
func runAdmin(ctx context.Context, o *AdminOptions) error {
	out := o.Factory.IO.Out
	if err := ensureSQLiteDir(o.DB); err != nil {
		return err
	}
	actor := o.Factory.Getenv("USER")
	if actor == "" {
		actor = "admin"
	}
	a, err := server.OpenAdmin(ctx, server.AdminOptions{DSN: o.DB, Actor: actor, Addr: "cli"})
	if err != nil {
		return err
	}
	defer a.Close()
	name := ""
	if len(o.Args) > 0 {
		name = o.Args[0]
	}
	switch o.Action {
	case "create-user":
		if o.Role != "admin" && o.Role != "user" {
			return &ExitError{Code: 2, Err: fmt.Errorf("--role %q: want admin or user", o.Role)}
		}
		if err := server.ValidateUsername(name); err != nil {
			return &ExitError{Code: 2, Err: err}
		}
		pw, err := o.password(true)
		if err != nil {
			return err
		}
		id, err := a.CreateUser(ctx, name, pw, o.Role)
		if err != nil {
			return err
		}
		fmt.Fprintf(out, "Created %s %q (id %d).\n", o.Role, name, id)
	case "set-password":
		pw, err := o.password(true)
		if err != nil {
			return err
		}
		n, err := a.SetPassword(ctx, name, pw)
		if err != nil {
			return err
		}
		fmt.Fprintf(out, "Password of %q changed; every session of that account was signed out (%s).\n", name, sessions(n))
	case "reset-2fa":
		n, err := a.ResetTwoFactor(ctx, name)
		if err != nil {
			return err
		}
		fmt.Fprintf(out, "Two-factor authentication removed for %q; lock cleared and sessions revoked (%s).\n%s can now sign in with the password alone and enable 2FA again.\n", name, sessions(n), shown(name))
	case "unlock":
		if err := a.Unlock(ctx, name); err != nil {
			return err
		}
		fmt.Fprintf(out, "Unlocked %q: second-factor failures and failed sign-ins cleared.\n", name)
	case "list-users":
		users, err := a.ListUsers(ctx)
		if err != nil {
			return err
		}
		return printUsers(out, users)
	case "rotate-key":
		n, err := a.RotateKey(ctx, o.Factory.Getenv("TOTP_ENCRYPTION_KEY"), o.Factory.Getenv("JWT_SECRET"))
		if err != nil {
			return err
		}
		fmt.Fprintf(out, "Re-encrypted %d TOTP secrets under the first key. Older keys can now be removed from TOTP_ENCRYPTION_KEY.\n", n)
	case "audit":
		events, err := a.Audit(ctx, name, o.Limit)
		if err != nil {
			return err
		}
		return printAudit(out, events)
	default:
		return fmt.Errorf("unknown admin action %q", o.Action)
	}
	return nil
}

// sessions says how many sessions: "1 session", "3 sessions".
func sessions(n int) string {
	if n == 1 {
		return "1 session"
	}
	return fmt.Sprintf("%d sessions", n)
}

// password reads the new password: from stdin's first line with
// --password-stdin, else twice from the terminal without echo.
func (o *AdminOptions) password(confirm bool) (string, error) {
	var pw string
	if o.PasswordStdin {
		line, err := bufio.NewReader(o.Factory.IO.In).ReadString('\n')
		if err != nil && !errors.Is(err, io.EOF) {
			return "", fmt.Errorf("read password from stdin: %w", err)
		}
		pw = strings.TrimRight(line, "\r\n")
	} else {
		read := o.ReadPassword
		if read == nil {
			f, ok := o.Factory.IO.In.(*os.File)
			if !ok || !term.IsTerminal(int(f.Fd())) {
				return "", &ExitError{Code: 2, Err: errors.New("standard input is not a terminal: pass the password with --password-stdin")}
			}
			read = func(prompt string) (string, error) {
				fmt.Fprint(o.Factory.IO.ErrOut, prompt)
				b, err := term.ReadPassword(int(f.Fd()))
				fmt.Fprintln(o.Factory.IO.ErrOut)
				return string(b), err
			}
		}
		var err error
		if pw, err = read("Password: "); err != nil {
			return "", fmt.Errorf("read password: %w", err)
		}
		if confirm {
			again, err := read("Repeat password: ")
			if err != nil {
				return "", fmt.Errorf("read password: %w", err)
			}
			if again != pw {
				return "", &ExitError{Code: 2, Err: errors.New("the two passwords differ; nothing was changed")}
			}
		}
	}
	if len([]rune(pw)) < minPasswordLen {
		return "", &ExitError{Code: 2, Err: fmt.Errorf("password too short: use at least %d characters", minPasswordLen)}
	}
	return pw, nil
}

// printUsers writes the list-users table; text from the database is shown escaped (see shown).
func printUsers(w io.Writer, users []server.UserInfo) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tUSERNAME\tROLE\t2FA\tCODES LEFT\tLOCKED UNTIL")
	for _, u := range users {
		tfa, codes, locked := "off", "-", "-"
		if u.TwoFactorEnabled {
			tfa, codes = "on", fmt.Sprint(u.CodesLeft)
		}
		if u.LockedUntil != nil {
			locked = words.Time(*u.LockedUntil)
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\n", u.ID, shown(u.Username), shown(u.Role), tfa, codes, locked)
	}
	return tw.Flush()
}

// printAudit writes audit events, one per line; text from the database is shown escaped (see shown).
func printAudit(w io.Writer, events []server.AuditEvent) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "TIME\tUSER\tEVENT\tCLIENT\tDETAIL")
	for _, e := range events {
		user := shown(e.Username)
		if user == "" {
			user = "-"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", words.Time(e.At), user, shown(e.Event), shown(e.ClientAddr), shown(e.Detail))
	}
	return tw.Flush()
}
