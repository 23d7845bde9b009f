package ui

import "github.com/charmbracelet/bubbles/key"

// KeyMap holds every key binding of the app in one place; screens copy the
// bindings they use and relabel them with SetHelp where the wording differs.
type KeyMap struct {
	Quit key.Binding
	// QuitQ is q, which quits where no field has focus.
	QuitQ     key.Binding
	Help      key.Binding
	Back      key.Binding
	Submit    key.Binding
	NextField key.Binding
	PrevField key.Binding

	// Second-factor prompts.
	SwitchCode key.Binding

	// Profile | Security tabs.
	NextTab    key.Binding
	PrevTab    key.Binding
	Enable     key.Binding
	Regenerate key.Binding
	Disable    key.Binding
	Logout     key.Binding
	Refresh    key.Binding
	// Retry tries an unreachable server again now.
	Retry key.Binding

	// QR step.
	ManualKey key.Binding
	CopyKey   key.Binding
	CopyLink  key.Binding
	Invert    key.Binding

	// Backup codes.
	CopyAll  key.Binding
	Download key.Binding

	// Confirmations.
	Yes key.Binding
	No  key.Binding
}

// DefaultKeyMap returns the key bindings of design.md's key table.
func DefaultKeyMap() *KeyMap {
	return &KeyMap{
		Quit:      key.NewBinding(key.WithKeys("ctrl+c"), key.WithHelp("ctrl+c", "quit")),
		QuitQ:     key.NewBinding(key.WithKeys("q"), key.WithHelp("q", "quit")),
		Help:      key.NewBinding(key.WithKeys("?"), key.WithHelp("?", "more keys")),
		Back:      key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "back")),
		Submit:    key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "submit")),
		NextField: key.NewBinding(key.WithKeys("tab", "down"), key.WithHelp("tab", "next field")),
		PrevField: key.NewBinding(key.WithKeys("shift+tab", "up"), key.WithHelp("shift+tab", "previous field")),

		SwitchCode: key.NewBinding(key.WithKeys("tab"), key.WithHelp("tab", "use a backup code instead")),

		NextTab:    key.NewBinding(key.WithKeys("tab", "right"), key.WithHelp("tab/→", "next tab")),
		PrevTab:    key.NewBinding(key.WithKeys("shift+tab", "left"), key.WithHelp("shift+tab/←", "previous tab")),
		Enable:     key.NewBinding(key.WithKeys("e"), key.WithHelp("e", "enable 2FA")),
		Regenerate: key.NewBinding(key.WithKeys("r"), key.WithHelp("r", "regenerate backup codes")),
		Disable:    key.NewBinding(key.WithKeys("x"), key.WithHelp("x", "disable 2FA")),
		Logout:     key.NewBinding(key.WithKeys("l"), key.WithHelp("l", "log out")),
		Refresh:    key.NewBinding(key.WithKeys("ctrl+r"), key.WithHelp("ctrl+r", "refresh")),
		Retry:      key.NewBinding(key.WithKeys("r"), key.WithHelp("r", "try again now")),

		ManualKey: key.NewBinding(key.WithKeys("k"), key.WithHelp("k", "show manual entry key")),
		CopyKey:   key.NewBinding(key.WithKeys("c"), key.WithHelp("c", "copy key")),
		CopyLink:  key.NewBinding(key.WithKeys("u"), key.WithHelp("u", "copy setup link")),
		Invert:    key.NewBinding(key.WithKeys("i"), key.WithHelp("i", "invert QR colours")),

		CopyAll:  key.NewBinding(key.WithKeys("c"), key.WithHelp("c", "copy all")),
		Download: key.NewBinding(key.WithKeys("d"), key.WithHelp("d", "download .txt")),

		Yes: key.NewBinding(key.WithKeys("y", "Y"), key.WithHelp("y", "yes")),
		No:  key.NewBinding(key.WithKeys("n", "N", "esc"), key.WithHelp("n", "no")),
	}
}

// Relabel returns a copy of b whose help says desc, for a screen whose
// wording of the action differs (Enter "sign in", Esc "keep 2FA on").
func Relabel(b key.Binding, desc string) key.Binding {
	b.SetHelp(b.Help().Key, desc)
	return b
}
