// Command twofa is a terminal application for self-service two-factor
// authentication, with a reference backend for the same account API.
package main

import (
	// First, for its init: no terminal query before Bubble Tea's init (see the package).
	_ "early.invalid/nobgquery"

	"errors"
	"fmt"
	"os"

	"github.com/spf13/cobra"
	"github.com/twofa/twofa/internal/app"
	"github.com/twofa/twofa/internal/version"
)

func main() {
	os.Exit(run(app.NewFactory(), os.Args[1:]))
}

// run executes the command line args and returns the process exit code.
func run(f *app.Factory, args []string) int {
	root := newRootCmd(f)
	root.SetArgs(args)
	err := root.Execute()
	if err == nil {
		return 0
	}
	var exit *app.ExitError
	if errors.As(err, &exit) {
		if exit.Err != nil {
			fmt.Fprintln(f.IO.ErrOut, "twofa:", exit.Err)
		}
		return exit.Code
	}
	fmt.Fprintln(f.IO.ErrOut, "twofa:", err)
	return 1
}

// newRootCmd wires every subcommand under the root; bare `twofa` runs the
// TUI. Each command lists only its own flags: the client's on the UI,
// status, logout and (without --insecure-storage) gateway; --theme on the
// UI and demo. Usage errors exit 2 (usageErrors).
func newRootCmd(f *app.Factory) *cobra.Command {
	root := &cobra.Command{
		Use:           "twofa",
		Short:         "Manage your account's two-factor authentication from the terminal",
		Version:       version.String(),
		Args:          cobra.NoArgs,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.SetVersionTemplate(app.VersionLine() + "\n")
	root.SetIn(f.IO.In)
	root.SetOut(f.IO.Out)
	root.SetErr(f.IO.ErrOut)
	clientFlags, theme := &app.ClientFlags{}, &app.ThemeFlag{}
	clientFlags.Register(root.Flags())
	theme.Register(root.Flags())
	root.RunE = app.NewTUIRunE(f, clientFlags, theme)
	status := app.NewCmdStatus(f, clientFlags, nil)
	clientFlags.Register(status.Flags())
	logout := app.NewCmdLogout(f, clientFlags, nil)
	clientFlags.Register(logout.Flags())
	gateway := app.NewCmdGateway(f, clientFlags, nil)
	clientFlags.RegisterServer(gateway.Flags())
	root.AddCommand(app.NewCmdVersion(f), status, logout, app.NewCmdServe(f, nil),
		app.NewCmdAdmin(f, nil), app.NewCmdDemo(f, nil), gateway)
	usageErrors(root)
	return root
}

// usageErrors makes a wrong flag or argument, on cmd or any command under
// it, an exit 2 (the convention of command-line tools), not 1.
func usageErrors(cmd *cobra.Command) {
	cmd.SetFlagErrorFunc(func(_ *cobra.Command, err error) error {
		return &app.ExitError{Code: 2, Err: err}
	})
	if check := cmd.Args; check != nil {
		cmd.Args = func(c *cobra.Command, args []string) error {
			if err := check(c, args); err != nil {
				return &app.ExitError{Code: 2, Err: err}
			}
			return nil
		}
	}
	for _, sub := range cmd.Commands() {
		usageErrors(sub)
	}
}
