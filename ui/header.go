package ui

import (
	"net/url"
	"strings"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
)

// minUser is the fewest cells the user's name keeps in a narrow header
// before the server gives up more.
const minUser = 12

// Header draws the top bar width cells wide: " twofa  server · user" on the
// left, title on the right, at least two cells between. When they do not
// fit, the server and then the user are shortened with an ellipsis; the
// title is never overwritten.
func (c Common) Header(width int, server, user, title string) string {
	st := c.Styles.Header
	brand := st.Brand.Render(" twofa ")
	right := st.Right.Render(title + " ")
	room := max(0, width-lipgloss.Width(brand)-lipgloss.Width(right)-2)
	server, user = fitInfo(room, server, user)
	left := brand
	if server != "" {
		left += st.Info.Render(" " + server)
	}
	if user != "" {
		left += st.Info.Render(" · " + user)
	}
	gap := max(0, width-lipgloss.Width(left)-lipgloss.Width(right))
	line := left + st.Bar.Render(strings.Repeat(" ", gap)) + right
	if lipgloss.Width(line) > width {
		line = ansi.Truncate(line, width, "")
	}
	return line
}

// fitInfo shortens server and user (either may be "") so " server · user"
// takes at most room cells: the server first, down to what leaves the user
// minUser cells, then both.
func fitInfo(room int, server, user string) (string, string) {
	sw, uw := ansi.StringWidth(server), ansi.StringWidth(user)
	need := func(s, u int) int {
		n := 0
		if s > 0 {
			n += 1 + s
		}
		if u > 0 {
			n += 3 + u
		}
		return n
	}
	if need(sw, uw) <= room {
		return server, user
	}
	keepUser := min(uw, minUser)
	if user == "" {
		return cutServer(server, max(0, room-1)), ""
	}
	sRoom := room - need(0, max(uw, keepUser)) - 1
	if sRoom >= 4 {
		return cutServer(server, sRoom), user // the user fits whole
	}
	sRoom = min(sw, max(0, room-need(0, keepUser)-1))
	if sRoom < 4 {
		sRoom = 0
	}
	uRoom := room - 3
	if sRoom > 0 {
		uRoom -= 1 + sRoom
	}
	s := ""
	if sRoom > 0 {
		s = cutServer(server, sRoom)
	}
	return s, ansi.Truncate(user, max(0, uRoom), "…")
}

// cutServer shortens server to at most n cells with an ellipsis, never
// inside its port: "http://127.0.0.1:3…" would name a port that is not
// the server's, so the whole port gives way ("http://127.0.0.1:…").
func cutServer(server string, n int) string {
	cut := ansi.Truncate(server, n, "…")
	u, err := url.Parse(server)
	if err != nil || u.Port() == "" || cut == server {
		return cut
	}
	beforePort := u.Scheme + "://" + strings.TrimSuffix(u.Host, u.Port())
	kept := strings.TrimSuffix(cut, "…")
	if len(kept) > len(beforePort) && len(kept) < len(beforePort)+len(u.Port()) && strings.HasPrefix(kept, beforePort) {
		return beforePort + "…"
	}
	return cut
}

// TrimLines drops the plain spaces that end each line of a laid-out view
// (lipgloss pads every line to the widest): they draw nothing the
// terminal's erase-to-end-of-line does not, and would cost bytes.
func TrimLines(view string) string {
	lines := strings.Split(view, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, " ")
	}
	return strings.Join(lines, "\n")
}
