// Command baseline is the floor for twofa's first-frame time: a bare Bubble
// Tea v1 program, on the alternate screen like twofa, that draws one line and
// waits for Ctrl+C. The bench harness runs it alternately with twofa.
package main

import (
	"fmt"
	"os"

	tea "github.com/charmbracelet/bubbletea"
)

// model draws a single line and quits on Ctrl+C or q.
type model struct{}

// Init starts nothing.
func (model) Init() tea.Cmd { return nil }

// Update quits on Ctrl+C or q and ignores everything else.
func (m model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	if k, ok := msg.(tea.KeyMsg); ok && (k.Type == tea.KeyCtrlC || k.String() == "q") {
		return m, tea.Quit
	}
	return m, nil
}

// View is the one line.
func (model) View() string { return "baseline ready" }

func main() {
	if _, err := tea.NewProgram(model{}, tea.WithAltScreen()).Run(); err != nil {
		fmt.Fprintln(os.Stderr, "baseline:", err)
		os.Exit(1)
	}
}
