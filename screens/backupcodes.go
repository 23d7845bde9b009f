package screens

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/twofa/twofa/internal/codes"
	"github.com/twofa/twofa/ui"
	"github.com/twofa/twofa/ui/backupfile"
	"github.com/twofa/twofa/ui/clipboard"
	"github.com/twofa/twofa/ui/codelist"
	"github.com/twofa/twofa/ui/textfield"
	"github.com/twofa/twofa/ui/words"
)

// What the backup-codes view is asking, if anything.
type codesQuestion int

const (
	askNothing codesQuestion = iota
	askPath
	askReplace
	askUnsaved
	askLeave
	askQuit
)

// backupCodesDoneMsg: the user is finished with the codes — acknowledged
// them ("I've saved these codes") or left without (left).
type backupCodesDoneMsg struct{ left bool }

// backupCodesView shows new backup codes once, numbered, with Copy all,
// Download .txt and "I've saved these codes", and guards against leaving
// unsaved. The enable wizard (step 4) and Regenerate share it.
type backupCodesView struct {
	common     ui.Common
	env        *Env
	account    string
	intro      string
	list       []string // as shown, copied and saved (codes.Shown)
	typing     backupfile.Typing
	copied     bool
	downloaded bool
	question   codesQuestion
	path       textfield.Model
	target     string // the expanded path a replace is asked for
	note       string
	noteBad    bool
	issued     time.Time // when the codes were shown first: the copy's header
}

// newCodesView shows the codes the server issued: grouped for reading when
// it says it accepts them in any form (anyForm [ext]), else byte for byte.
func newBackupCodesView(c ui.Common, env *Env, account, intro string, issued []string, anyForm bool) backupCodesView {
	p := textfield.New(c, "Save to", false)
	p.LabelWidth = 9
	p.Elide = true // the start of the path and the file name both in view
	typing := backupfile.TypeExactly
	if anyForm {
		typing = backupfile.TypeAnyForm
	}
	return backupCodesView{common: c, env: env, account: account, intro: intro, list: codes.Shown(issued, anyForm), typing: typing, path: p, issued: c.Now()}
}

func (v backupCodesView) capturing() bool { return v.question == askPath }

func (v backupCodesView) setSize(w, h int) backupCodesView {
	v.common.SetSize(w, h)
	v.path = v.path.SetWidth(w - 12)
	return v
}

// content is the text of the file and of the clipboard copy.
func (v backupCodesView) content() []byte {
	return backupfile.Content(v.env.Server(), v.account, v.common.Now(), v.list, v.typing)
}

// otherwise is the way out when a copy does not paste: Download .txt, or,
// where there is none (SSH: this machine's disk is not the person's), the
// codes on the screen.
func (v backupCodesView) otherwise() string {
	if v.common.KeyMap.Download.Enabled() {
		return "use Download .txt"
	}
	return "select the codes on the screen and copy them, or write them down."
}

// clipboardText is what Copy all sends: a header line (whose codes, which
// server, when) and the codes, one a line.
func (v backupCodesView) clipboardText() string {
	return words.CopyHeader(v.env.Server(), v.account, v.issued) + "\n" + strings.Join(v.list, "\n") + "\n"
}

func (v backupCodesView) update(msg tea.Msg) (backupCodesView, tea.Cmd) {
	km := v.common.KeyMap
	switch msg := msg.(type) {
	case clipboard.CopiedMsg:
		v.note, v.noteBad = msg.StatusWith(v.otherwise()), msg.Err != nil
		if msg.Hint != "" {
			v.note += "\n" + msg.Hint
		}
		if msg.Err == nil {
			v.copied = true
			if msg.Tmux && msg.Hint == "" {
				v.note += "\n" + words.TmuxSharedBuffer
			}
		}
		return v, nil
	case backupfile.SavedMsg:
		switch {
		case errors.Is(msg.Err, backupfile.ErrExists):
			v.question, v.target = askReplace, msg.Path
			v.note = ""
		case msg.Err != nil:
			v.question = askNothing
			v.note, v.noteBad = "✗ Could not save the file: "+msg.Err.Error()+". Your codes are still on screen.", true
		default:
			v.question = askNothing
			v.downloaded = true
			v.note, v.noteBad = "Saved to "+tildePath(msg.Path)+" (readable only by you).", false
		}
		return v, nil
	case tea.KeyMsg:
		return v.key(msg, km)
	}
	return v, nil
}

func (v backupCodesView) key(msg tea.KeyMsg, km *ui.KeyMap) (backupCodesView, tea.Cmd) {
	switch v.question {
	case askPath:
		switch {
		case key.Matches(msg, km.Back):
			v.question = askNothing
			v.path = v.path.Blur()
			return v, nil
		case key.Matches(msg, km.Submit):
			if strings.TrimSpace(v.path.Value()) == "" {
				return v, nil
			}
			v.path = v.path.Blur()
			v.note = "Saving…"
			v.noteBad = false
			return v, backupfile.SaveCmd(v.path.Value(), v.content(), false)
		}
		var cmd tea.Cmd
		v.path, cmd = v.path.Update(msg)
		return v, cmd
	case askReplace:
		switch {
		case key.Matches(msg, km.Yes):
			v.question = askNothing
			return v, backupfile.SaveCmd(v.target, v.content(), true)
		case key.Matches(msg, km.No):
			v.question = askPath
			var cmd tea.Cmd
			v.path, cmd = v.path.Focus()
			return v, cmd
		}
		return v, nil
	case askQuit:
		switch {
		case key.Matches(msg, km.Yes, km.Quit):
			return v, tea.Quit
		case key.Matches(msg, km.No):
			v.question = askNothing
		}
		return v, nil
	case askUnsaved, askLeave:
		switch {
		case key.Matches(msg, km.Yes):
			left := v.question == askLeave
			v.question = askNothing
			return v, send(backupCodesDoneMsg{left: left})
		case key.Matches(msg, km.No):
			v.question = askNothing
		}
		return v, nil
	}
	switch {
	case key.Matches(msg, km.CopyAll):
		v.note, v.noteBad = "Copying…", false
		return v, v.common.Terminal.Copy(v.clipboardText())
	case key.Matches(msg, km.Download):
		v.question = askPath
		v.path = v.path.SetValue(backupfile.DefaultPath(v.env.Host(), v.account, v.common.Now()))
		var cmd tea.Cmd
		v.path, cmd = v.path.Focus()
		return v, cmd
	case key.Matches(msg, km.Submit):
		if !v.copied && !v.downloaded {
			v.question = askUnsaved
			return v, nil
		}
		return v, send(backupCodesDoneMsg{})
	case key.Matches(msg, km.Back):
		v.question = askLeave
		return v, nil
	}
	return v, nil
}

func (v backupCodesView) view() string {
	st := v.common.Styles
	w := v.common.Width
	var b strings.Builder
	b.WriteString(st.Text.Width(v.common.TextWidth()).Render(v.intro) + "\n\n")
	b.WriteString(codelist.Render(st, v.list, w) + "\n\n")
	switch v.question {
	case askPath:
		b.WriteString(v.path.View() + "\n")
		b.WriteString(st.Subtle.Render("enter save · esc cancel") + "\n")
	case askReplace:
		// The path on lines of its own, broken only where the box ends
		// (never at its dashes), so it reads and copies as one piece.
		path := ansi.Hardwrap(tildePath(v.target), max(1, v.common.Width-6), false)
		b.WriteString(yesNoDialog(v.common, "A file already exists at\n"+path, "Replace it?") + "\n")
	case askUnsaved:
		unsaved := "You have not copied or downloaded these codes."
		if !v.common.KeyMap.Download.Enabled() {
			unsaved = "You have not copied these codes."
		}
		b.WriteString(yesNoDialog(v.common, unsaved, "Continue anyway?") + "\n")
	case askLeave:
		b.WriteString(yesNoDialog(v.common, "Your backup codes will not be shown again.", "Leave anyway?") + "\n")
	case askQuit:
		b.WriteString(yesNoDialog(v.common, "Your backup codes will not be shown again.", "Quit anyway?") + "\n")
	default:
		actions := []string{st.Key.Render("c") + " Copy all"}
		if v.common.KeyMap.Download.Enabled() {
			actions = append(actions, st.Key.Render("d")+" Download .txt")
		}
		actions = append(actions, st.Key.Render("enter")+" I've saved these codes")
		b.WriteString(actionRows(actions, w) + "\n")
	}
	if v.note != "" && v.question != askUnsaved && v.question != askLeave && v.question != askQuit {
		style := st.Success
		if v.noteBad {
			style = st.Error
		}
		// Wrapped at spaces only: a file path stays whole on its line
		// (lipgloss would also break it after a dash).
		b.WriteString(style.Render(wrapAtSpaces(v.note, w)) + "\n")
	}
	return b.String()
}

// guardQuit asks before the program quits while the codes are on show: the
// first Ctrl+C (or q) asks, as Esc does; a second one, or y, quits.
func (v backupCodesView) guardQuit() (backupCodesView, bool) {
	if v.question == askQuit {
		return v, false
	}
	v.question = askQuit
	v.path = v.path.Blur()
	return v, true
}

// unsaved is what stderr says when the program ends with the codes on show
// and neither copied nor downloaded (a hang-up, a kill, a quit confirmed):
// they are lost, and how to get new ones; "" when they were kept somehow.
func (v backupCodesView) unsaved() string {
	if v.list == nil || v.copied || v.downloaded {
		return ""
	}
	return words.CodesNotSaved
}

// tildePath shows a path under the home directory as "~/...".
func tildePath(p string) string {
	home, err := os.UserHomeDir()
	if err != nil || home == "" || home == "/" {
		return p
	}
	if rest, ok := strings.CutPrefix(p, home+string(filepath.Separator)); ok {
		return "~" + string(filepath.Separator) + rest
	}
	return p
}

func (v backupCodesView) shortHelp() []key.Binding {
	km := v.common.KeyMap
	switch v.question {
	case askPath:
		return []key.Binding{ui.Relabel(km.Submit, "save"), ui.Relabel(km.Back, "cancel"), km.Quit}
	case askReplace, askUnsaved, askLeave:
		return []key.Binding{km.Yes, km.No, km.Quit}
	case askQuit:
		return []key.Binding{ui.Relabel(km.Yes, "quit"), ui.Relabel(km.No, "stay"), ui.Relabel(km.Quit, "quit")}
	}
	return []key.Binding{km.CopyAll, km.Download, ui.Relabel(km.Submit, "I've saved these codes"), ui.Relabel(km.Back, "leave"), km.Quit}
}

// wrapAtSpaces wraps text to w cells at spaces only, so a file path with
// dashes stays whole on its line (ansi's word wrap also breaks after a
// dash); a word wider than w is cut hard.
func wrapAtSpaces(text string, w int) string {
	var out []string
	for _, para := range strings.Split(text, "\n") {
		line := ""
		for _, word := range strings.Fields(para) {
			switch {
			case line == "":
				line = word
			case ansi.StringWidth(line)+1+ansi.StringWidth(word) <= w:
				line += " " + word
			default:
				out = append(out, ansi.Hardwrap(line, w, true))
				line = word
			}
		}
		out = append(out, ansi.Hardwrap(line, w, true))
	}
	return strings.Join(out, "\n")
}

// actionRows joins actions three cells apart, starting a new line between
// two actions (never inside one) where the next would pass w cells.
func actionRows(actions []string, w int) string {
	var b strings.Builder
	line := 0
	for i, a := range actions {
		aw := lipgloss.Width(a)
		switch {
		case i == 0:
		case line+3+aw > w:
			b.WriteString("\n")
			line = 0
		default:
			b.WriteString("   ")
			line += 3
		}
		b.WriteString(a)
		line += aw
	}
	return b.String()
}
