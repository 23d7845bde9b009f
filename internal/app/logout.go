package app

import (
	"context"
	"errors"
	"fmt"

	"github.com/spf13/cobra"
	"github.com/twofa/twofa/session"
	"github.com/twofa/twofa/ui/words"
)

// LogoutOptions are the inputs of `twofa logout`.
type LogoutOptions struct {
	Factory *Factory
	Flags   *ClientFlags
}

// NewCmdLogout returns `twofa logout`: revoke the session at the server when
// it offers that, then delete it from this computer.
func NewCmdLogout(f *Factory, flags *ClientFlags, runF func(*LogoutOptions) error) *cobra.Command {
	opts := &LogoutOptions{Factory: f, Flags: flags}
	return &cobra.Command{
		Use:   "logout",
		Short: "Sign out: revoke the session at the server and delete it here",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if runF != nil {
				return runF(opts)
			}
			return runLogout(cmd.Context(), opts)
		},
	}
}

// runLogout logs out the last user of the server; ctx is the command's
// (cobra gives every command one).
func runLogout(ctx context.Context, opts *LogoutOptions) error {
	f := opts.Factory
	conn, say, err := opts.Flags.connect(f)
	if err != nil {
		return &ExitError{Code: 1, Err: err}
	}
	defer func() { _ = conn.Close() }()
	server := conn.Client.Server()
	s, err := conn.Sessions.Load(conn.Sessions.LastUser())
	if errors.Is(err, session.ErrNotStored) {
		_, err = fmt.Fprintf(f.IO.Out, "Not signed in to %s.\n", server)
		return err
	}
	if err != nil {
		return &ExitError{Code: 1, Err: say.Explain(err)}
	}
	out, err := conn.Sessions.Logout(ctx, s)
	if err != nil {
		return &ExitError{Code: 1, Err: say.Explain(err)}
	}
	switch {
	case out.Revoked:
		_, err = fmt.Fprintf(f.IO.Out, "Signed out %s from %s: the session was revoked at the server and deleted from this computer.\n", s.User, server)
	case out.Unrevocable:
		_, err = fmt.Fprintln(f.IO.Out, words.Unrevoked(s.User, server, out.ValidUntil))
	case out.AlreadyEnded:
		_, err = fmt.Fprintf(f.IO.Out, "Signed out %s: the session had already ended at %s and was deleted from this computer.\n", s.User, server)
	default:
		return &ExitError{Code: 1, Err: fmt.Errorf("the session was deleted from this computer, but revoking it at the server failed: %w", say.Explain(out.RevokeErr))}
	}
	return err
}
