package app

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/spf13/cobra"
	"github.com/twofa/twofa/client"
	"github.com/twofa/twofa/internal/wire"
	"github.com/twofa/twofa/session"
	"github.com/twofa/twofa/ui/words"
)

// Exit codes of `twofa status`.
const (
	StatusSignedIn    = 0
	StatusError       = 1
	StatusNotSignedIn = 3
)

// StatusOptions are the inputs of `twofa status`.
type StatusOptions struct {
	Factory *Factory
	Flags   *ClientFlags
	JSON    bool
}

// NewCmdStatus returns `twofa status`: who is signed in where, 2FA state,
// backup codes left, session storage and clock drift. Exit 0 signed in,
// 3 not signed in, 1 on error.
func NewCmdStatus(f *Factory, flags *ClientFlags, runF func(*StatusOptions) error) *cobra.Command {
	opts := &StatusOptions{Factory: f, Flags: flags}
	cmd := &cobra.Command{
		Use:   "status",
		Short: "Show whether you are signed in, and your account's 2FA state",
		Long: "Show the signed-in user at the server, whether two-factor authentication is on,\n" +
			"how many backup codes are left (when the server says), where the session is\n" +
			"stored, and whether this computer's clock agrees with the server's.\n\n" +
			"Exit status: 0 signed in, 3 not signed in, 1 on error.",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if runF != nil {
				return runF(opts)
			}
			return jsonFailure(opts, runStatus(cmd.Context(), opts))
		},
	}
	cmd.Flags().BoolVar(&opts.JSON, "json", false, "print the status as JSON")
	return cmd
}

// statusReport is what `twofa status` prints; its JSON form is stable for scripts.
type statusReport struct {
	Server         string       `json:"server"`
	SignedIn       bool         `json:"signed_in"`
	Reason         string       `json:"reason,omitempty"`
	User           string       `json:"user,omitempty"`
	Role           string       `json:"role,omitempty"`
	TwoFactor      *statusTwoFA `json:"two_factor,omitempty"`
	Storage        string       `json:"storage,omitempty"`
	StorageWarning string       `json:"storage_warning,omitempty"`
	Clock          *statusClock `json:"clock,omitempty"`
}

type statusTwoFA struct {
	Enabled              bool       `json:"enabled"`
	EnabledAt            *time.Time `json:"enabled_at,omitempty"`
	BackupCodesRemaining *int       `json:"backup_codes_remaining,omitempty"`
	BackupCodesTotal     *int       `json:"backup_codes_total,omitempty"`
}

type statusClock struct {
	Known         bool  `json:"known"`
	OffsetSeconds int64 `json:"offset_seconds"`
	Drifted       bool  `json:"drifted"`
}

// runStatus reports on the last user of the server; ctx is the command's
// (cobra gives every command one).
func runStatus(ctx context.Context, opts *StatusOptions) error {
	f := opts.Factory
	conn, say, err := opts.Flags.connect(f)
	if errors.Is(err, ErrNoServer) {
		return printStatus(f.IO.Out, opts.JSON, &statusReport{Reason: "no server configured: pass --server or set TWOFA_SERVER"})
	}
	var usage *ExitError
	if errors.As(err, &usage) {
		return err
	}
	if err != nil {
		return &ExitError{Code: StatusError, Err: err}
	}
	defer func() { _ = conn.Close() }()
	rep := &statusReport{Server: conn.Client.Server()}

	s, acct, err := conn.Sessions.Resume(ctx, conn.Sessions.LastUser())
	st := conn.Sessions.Storage()
	rep.Storage, rep.StorageWarning = st.Name, say.StorageWarning(st)
	var api *client.APIError
	switch {
	case errors.Is(err, session.ErrNotStored):
		// Not signed in; still say so only if the server can be reached, so
		// that "not signed in" and "server unreachable" stay distinct.
		if _, herr := conn.Client.Health(ctx); herr != nil && !errors.Is(herr, client.ErrNotOffered) {
			return &ExitError{Code: StatusError, Err: say.Explain(herr)}
		}
		rep.Reason = "no stored session"
		return printStatus(f.IO.Out, opts.JSON, rep)
	case errors.As(err, &api) && api.Code == wire.Unauthorized:
		rep.User, rep.Reason = s.User, "the stored session has expired or was revoked"
		return printStatus(f.IO.Out, opts.JSON, rep)
	case err != nil:
		return &ExitError{Code: StatusError, Err: say.Explain(err)}
	}
	fillAccount(rep, s.User, acct)
	rep.SignedIn = true
	k := conn.Client.Clock()
	rep.Clock = &statusClock{Known: k.Known, OffsetSeconds: int64(k.Offset / time.Second), Drifted: k.Drifted()}
	return printStatus(f.IO.Out, opts.JSON, rep)
}

// statusFailure is what `twofa status --json` prints on stdout when it
// fails, so a script reading stdout always gets a JSON object.
type statusFailure struct {
	SignedIn bool   `json:"signed_in"`
	Error    string `json:"error"`
}

// jsonFailure prints, under --json, err (the status could not be found
// out: exit 1, or 2 for a usage error) as a statusFailure on stdout, and
// returns err either way (its sentence still goes to stderr).
func jsonFailure(opts *StatusOptions, err error) error {
	var exit *ExitError
	if !opts.JSON || !errors.As(err, &exit) || exit.Code == StatusNotSignedIn || exit.Err == nil {
		return err
	}
	enc := json.NewEncoder(opts.Factory.IO.Out)
	enc.SetIndent("", "  ")
	if werr := enc.Encode(statusFailure{Error: exit.Err.Error()}); werr != nil {
		return errors.Join(err, werr)
	}
	return err
}

// fillAccount reports acct, user's account: who and what role from /me,
// else only whether 2FA is on.
func fillAccount(rep *statusReport, user string, acct session.Account) {
	rep.User = user
	me := acct.Me
	if me == nil {
		rep.TwoFactor = &statusTwoFA{Enabled: acct.TwoFactorOn}
		return
	}
	rep.User, rep.Role = me.Username, me.Role
	rem, total := me.TwoFactor.BackupCodesRemaining, me.TwoFactor.BackupCodesTotal
	rep.TwoFactor = &statusTwoFA{Enabled: me.TwoFactor.Enabled}
	if at := me.TwoFactor.EnabledAt; at != nil {
		utc := words.JSONTime(*at)
		rep.TwoFactor.EnabledAt = &utc
	}
	if me.TwoFactor.Enabled {
		rep.TwoFactor.BackupCodesRemaining, rep.TwoFactor.BackupCodesTotal = &rem, &total
	}
}

// printStatus writes rep and returns the matching exit status.
func printStatus(w io.Writer, asJSON bool, rep *statusReport) error {
	if asJSON {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		if err := enc.Encode(rep); err != nil {
			return err
		}
	} else if _, err := io.WriteString(w, statusText(rep)); err != nil {
		return err
	}
	if !rep.SignedIn {
		return &ExitError{Code: StatusNotSignedIn}
	}
	return nil
}

// statusText renders rep for people.
func statusText(rep *statusReport) string {
	if !rep.SignedIn {
		where := rep.Server
		if where == "" {
			return fmt.Sprintf("Not signed in: %s.\n", rep.Reason)
		}
		return fmt.Sprintf("Not signed in to %s: %s. Run `twofa` to sign in.\n", where, rep.Reason)
	}
	s := fmt.Sprintf("%-16s%s\n", "Server:", rep.Server)
	who := rep.User
	if rep.Role != "" {
		who += " (" + rep.Role + ")"
	}
	s += fmt.Sprintf("%-16s%s\n", "Signed in as:", who)
	s += fmt.Sprintf("%-16s%s\n", "Two-factor:", twoFAText(rep.TwoFactor))
	storage := rep.Storage
	if rep.StorageWarning != "" {
		storage += " — " + rep.StorageWarning
	}
	s += fmt.Sprintf("%-16s%s\n", "Session stored:", storage)
	s += fmt.Sprintf("%-16s%s\n", "Server clock:", clockText(rep.Clock))
	return s
}

func twoFAText(t *statusTwoFA) string {
	if t == nil || !t.Enabled {
		return "off"
	}
	s := "on"
	if t.EnabledAt != nil {
		s += " since " + words.Time(*t.EnabledAt)
	}
	if t.BackupCodesRemaining != nil && t.BackupCodesTotal != nil {
		s += fmt.Sprintf(", %d of %d backup codes left", *t.BackupCodesRemaining, *t.BackupCodesTotal)
		if words.FewLeft(*t.BackupCodesRemaining) {
			s += " (regenerate them soon)"
		}
	}
	return s
}

func clockText(c *statusClock) string {
	if c == nil || !c.Known {
		return "unknown (the server sent no Date header)"
	}
	return words.ServerClock(time.Duration(c.OffsetSeconds)*time.Second, c.Drifted)
}
