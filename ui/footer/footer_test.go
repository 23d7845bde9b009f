package footer

import (
	"strings"
	"testing"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/lipgloss"
	"github.com/twofa/twofa/ui"
)

// keys is a screen's short help.
type keys []key.Binding

func (k keys) ShortHelp() []key.Binding  { return k }
func (k keys) FullHelp() [][]key.Binding { return [][]key.Binding{k} }

// TestFooterFits: the short help fits the width it is given; when every key
// does not fit, the lowest-ranked are left out behind one ellipsis, and
// quit, the key list, back and the main action are the last to go.
func TestFooterFits(t *testing.T) {
	km := ui.DefaultKeyMap()
	qr := keys{ui.Relabel(km.Submit, "next"), km.ManualKey, km.CopyKey, km.Invert, ui.Relabel(km.Back, "cancel"), km.Quit}
	security := keys{km.Regenerate, km.Disable, km.Logout, km.NextTab, km.Help, km.Quit}
	cases := []struct {
		name  string
		keys  keys
		width int
		want  string
	}{
		{"all fit", keys{ui.Relabel(km.Submit, "sign in"), km.NextField, km.Quit}, 78, "enter sign in • tab next field • ctrl+c quit"},
		{"QR at 80", qr, 78, "enter next • k show manual entry key • … • esc cancel • ctrl+c quit"},
		{"QR at 60", qr, 58, "enter next • … • esc cancel • ctrl+c quit"},
		{"security at 80", security, 78, "r regenerate backup codes • x disable 2FA • … • ? more keys • ctrl+c quit"},
		{"security at 60", security, 58, "r regenerate backup codes • … • ? more keys • ctrl+c quit"},
		{"narrow", qr, 16, "… • ctrl+c quit"},
	}
	c := ui.NewCommon(nil, true, nil)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := New(c).SetWidth(tc.width).View(tc.keys)
			if got != tc.want {
				t.Errorf("footer at %d:\n got %q\nwant %q", tc.width, got, tc.want)
			}
			if w := lipgloss.Width(got); w > tc.width {
				t.Errorf("footer is %d wide, more than %d", w, tc.width)
			}
			if tc.width >= 40 && !strings.Contains(got, "ctrl+c quit") {
				t.Errorf("quit is not shown: %q", got)
			}
		})
	}
}
