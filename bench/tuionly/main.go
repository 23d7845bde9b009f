// Command tuionly is a diagnostic for twofa's first-frame time: the same
// screens, client and keyring as `twofa`, started the same way, but without
// the cobra commands that link the reference server (pure-Go SQLite, pgx)
// into the binary. The bench harness runs it beside twofa and the baseline
// to tell the TUI's own start-up cost from the cost of the bigger binary.
package main

import (
	"fmt"
	"os"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/twofa/twofa/client"
	"github.com/twofa/twofa/keyring"
	"github.com/twofa/twofa/screens"
)

func main() {
	tokens := client.NewTokenHolder()
	c, err := client.New(client.Options{Server: os.Getenv("TWOFA_SERVER"), Tokens: tokens, UserAgentVersion: "twofa/bench"})
	if err != nil {
		fmt.Fprintln(os.Stderr, "tuionly:", err)
		os.Exit(1)
	}
	env := &screens.Env{Client: c, Tokens: tokens, Store: keyring.New(keyring.Options{})}
	dark := lipgloss.HasDarkBackground()
	app := screens.New(env, screens.Options{Dark: dark})
	if _, err := tea.NewProgram(app, tea.WithAltScreen()).Run(); err != nil {
		fmt.Fprintln(os.Stderr, "tuionly:", err)
		os.Exit(1)
	}
}
