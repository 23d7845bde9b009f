package footer

import (
	"slices"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/lipgloss"
)

// item is one key of the short help as drawn, with its rank: the items of
// the lowest rank are left out first when the line is too narrow.
type item struct {
	text  string
	width int
	rank  int
}

// Ranks of the keys the footer keeps longest: quit, then the key list,
// then back or cancel, then the screen's first action and Enter.
const (
	rankQuit  = 1000
	rankHelp  = 900
	rankBack  = 800
	rankFirst = 700
)

// rank is how long b stays in a narrow footer; i is its place in the list.
func rank(b key.Binding, i int) int {
	keys := b.Keys()
	switch {
	case slices.Contains(keys, "ctrl+c"), b.Help().Desc == "quit":
		return rankQuit
	case slices.Contains(keys, "?"):
		return rankHelp
	case slices.Contains(keys, "esc"):
		return rankBack
	case i == 0 || slices.Contains(keys, "enter"):
		return rankFirst
	}
	return 100 - i // later keys go first
}

// fit draws bindings in one line of at most width cells: every key when
// they fit, else the keys of the lowest rank are left out — an ellipsis
// stands where they were — so quit, the key list and back stay visible.
func (m Model) fit(bindings []key.Binding, width int) string {
	st := m.help.Styles
	var items []item
	for _, b := range bindings {
		if !b.Enabled() {
			continue
		}
		text := st.ShortKey.Inline(true).Render(b.Help().Key) + " " + st.ShortDesc.Inline(true).Render(b.Help().Desc)
		items = append(items, item{text: text, width: lipgloss.Width(text), rank: rank(b, len(items))})
	}
	kept := make([]bool, len(items))
	for i := range kept {
		kept[i] = true
	}
	for lineWidth(items, kept) > width {
		low := -1
		for i, it := range items {
			if kept[i] && (low < 0 || it.rank <= items[low].rank) {
				low = i
			}
		}
		if low < 0 {
			break
		}
		kept[low] = false
	}
	return m.join(items, kept)
}

// sepWidth is the width of " • " between items.
const sepWidth = 3

// lineWidth is the width of the kept items joined, with one ellipsis item
// for the left-out ones.
func lineWidth(items []item, kept []bool) int {
	w, n, cut := 0, 0, false
	for i, it := range items {
		if kept[i] {
			w += it.width
			n++
		} else if !cut {
			cut = true
			w++
			n++
		}
	}
	return w + max(0, n-1)*sepWidth
}

// join draws the kept items, an ellipsis in place of the first left out.
func (m Model) join(items []item, kept []bool) string {
	st := m.help.Styles
	var parts []string
	cut := false
	for i, it := range items {
		switch {
		case kept[i]:
			parts = append(parts, it.text)
		case !cut:
			cut = true
			parts = append(parts, st.Ellipsis.Inline(true).Render("…"))
		}
	}
	if len(parts) == 1 && cut {
		return ""
	}
	return strings.Join(parts, st.ShortSeparator.Inline(true).Render(" • "))
}
