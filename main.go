// Command twofa is a terminal application for self-service two-factor
// authentication, with a reference backend for the same account API.
package main

import (
	"errors"
	"fmt"
	"os"

	"github.com/spf13/cobra"
	"github.com/twofa/twofa/internal/app"
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

// newRootCmd wires every subcommand under the root; bare `twofa` runs the TUI.
func newRootCmd(f *app.Factory) *cobra.Command {
	root := &cobra.Command{
		Use:           "twofa",
		Short:         "Manage your account's two-factor authentication from the terminal",
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.SetIn(f.IO.In)
	root.SetOut(f.IO.Out)
	root.SetErr(f.IO.ErrOut)
	clientFlags := &app.ClientFlags{}
	clientFlags.Register(root.PersistentFlags())
	root.RunE = app.NewTUIRunE(f, clientFlags)
	root.AddCommand(app.NewCmdVersion(f))
	root.AddCommand(app.NewCmdStatus(f, clientFlags, nil))
	root.AddCommand(app.NewCmdLogout(f, clientFlags, nil))
	root.AddCommand(app.NewCmdServe(f, nil))
	root.AddCommand(app.NewCmdAdmin(f, nil))
	root.AddCommand(app.NewCmdDemo(f, nil))
	root.AddCommand(app.NewCmdGateway(f, clientFlags, nil))
	return root
}
