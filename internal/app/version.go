package app

import (
	"fmt"
	"runtime"

	"github.com/spf13/cobra"
	"github.com/twofa/twofa/internal/version"
)

// NewCmdVersion returns `twofa version`, which prints the build's version.
func NewCmdVersion(f *Factory) *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print the version of twofa",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			_, err := fmt.Fprintln(f.IO.Out, VersionLine())
			return err
		},
	}
}

// VersionLine is what `twofa version` and `twofa --version` print.
func VersionLine() string {
	return fmt.Sprintf("twofa %s (%s, %s/%s)", version.String(), runtime.Version(), runtime.GOOS, runtime.GOARCH)
}
