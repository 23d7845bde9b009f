// Package version reports the build's version string.
package version

import "runtime/debug"

// Version is set at link time with -ldflags "-X github.com/twofa/twofa/internal/version.Version=v1.2.3".
var Version = ""

// String returns the link-time version, else the module version, else "dev".
func String() string {
	if Version != "" {
		return Version
	}
	if info, ok := debug.ReadBuildInfo(); ok && info.Main.Version != "" && info.Main.Version != "(devel)" {
		return info.Main.Version
	}
	return "dev"
}
