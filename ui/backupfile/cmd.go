package backupfile

import (
	"path/filepath"

	tea "github.com/charmbracelet/bubbletea"
)

// SavedMsg reports the outcome of SaveCmd. Path is where the file went (or
// would have gone): the typed path with "~" expanded, made absolute.
type SavedMsg struct {
	Path string
	Err  error
}

// SaveCmd returns a command that expands path and writes content there with
// Write. When Err wraps ErrExists, ask the user and call again with replace.
func SaveCmd(path string, content []byte, replace bool) tea.Cmd {
	return func() tea.Msg {
		p, err := Expand(path)
		if err != nil {
			return SavedMsg{Path: path, Err: err}
		}
		if abs, err := filepath.Abs(p); err == nil {
			p = abs
		}
		return SavedMsg{Path: p, Err: Write(p, content, replace)}
	}
}
