package screens

import (
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/twofa/twofa/ui"
	"github.com/twofa/twofa/ui/codeinput"
	"github.com/twofa/twofa/ui/words"
)

// codePrompt is the part every code-entry screen shares (second factor at
// sign-in, Verify & Enable, Regenerate, Disable): the code field, the
// server's lockout with the once-a-second tick that counts it down, and the
// error line. The screen keeps its titles and texts, the request it sends
// and what success does.
type codePrompt struct {
	input codeinput.Model
	err   string
	lock  lockout
	tag   int // of the screen's ui.TickMsg
	words words.Words
}

// newCodePrompt returns an empty prompt; allowBackup lets Tab switch the
// field to a backup code.
func newCodePrompt(c ui.Common, allowBackup bool) codePrompt {
	return codePrompt{input: codeinput.New(c, allowBackup), tag: c.NextTag(), words: c.Words}
}

// startTicking is the screen's Init command: the first tick of the countdown.
func (p *codePrompt) startTicking() tea.Cmd { return ui.Tick(p.tag) }

// backup reports whether the field takes a backup code now.
func (p *codePrompt) backup() bool { return p.input.Mode() == codeinput.Backup }

// ownTick reports whether msg is this prompt's tick, not another countdown's.
func (p *codePrompt) ownTick(msg ui.TickMsg) bool { return msg.Tag == p.tag }

// tick handles a ui.TickMsg: a lockout that has run out ends (the field takes
// keys again and the error line says so) and the next tick is asked for.
// Another countdown's tick is ignored.
func (p *codePrompt) tick(msg ui.TickMsg, now time.Time) tea.Cmd {
	if !p.ownTick(msg) {
		return nil
	}
	if !p.lock.until.IsZero() && !p.lock.active(now) {
		p.lock = lockout{}
		p.input = p.input.SetDisabled(false)
		p.err = "You can try again now."
	}
	return ui.Tick(p.tag)
}

// update passes a key to the field; switching between app and backup code
// clears the error line.
func (p *codePrompt) update(msg tea.KeyMsg) {
	prev := p.input.Mode()
	p.input, _ = p.input.Update(msg)
	if p.input.Mode() != prev {
		p.err = ""
	}
}

// submit checks the typed code. ok is false while locked out or when the
// code is incomplete (the error line then says what to type); when ok, the
// field is disabled until settle, and the screen sends code.
func (p *codePrompt) submit(now time.Time) (code string, backup, ok bool) {
	if p.lock.active(now) {
		return "", false, false
	}
	code, ok = p.input.Value()
	backup = p.backup()
	if !ok {
		if backup {
			p.err = "Type one of your backup codes."
		} else {
			p.err = "Type the 6 digits your app shows."
		}
		return "", false, false
	}
	p.err = ""
	p.input = p.input.SetDisabled(true)
	return code, backup, true
}

// settle re-enables and empties the field once a request has answered.
func (p *codePrompt) settle() {
	p.input = p.input.SetDisabled(false).Reset()
}

// refuse shows a refused code: a lockout disables the field and starts the
// countdown, anything else goes on the error line.
func (p *codePrompt) refuse(out codeOutcome, now time.Time) {
	if out.lockFor > 0 {
		p.lock = lockout{until: now.Add(out.lockFor)}
		p.input = p.input.SetDisabled(true)
		p.err = ""
		return
	}
	p.err = out.text
}

// fail settles the field after a signed-in request refused the code: an
// ended session goes back to Sign in, anything else is shown by refuse.
func (p *codePrompt) fail(err error, now time.Time, env *Env, backup bool) tea.Cmd {
	out := explainCodeError(err, now, env.clock(), backup, p.words)
	if out.ended {
		return send(sessionEndedMsg{})
	}
	p.refuse(out, now)
	return nil
}

// intro picks the screen's instruction for the field's mode.
func (p *codePrompt) intro(totp, backup string) string {
	if p.backup() {
		return backup
	}
	return totp
}

// status is the line under the field: the spinner while busy, else the
// lockout countdown, else the error; "" when there is nothing to say.
func (p *codePrompt) status(st *ui.Styles, w int, busy ui.Busy, now time.Time) string {
	switch {
	case busy.Active():
		return busy.View() + "\n"
	case p.lock.active(now):
		return st.Error.Width(w).Render("✗ "+p.lock.text(now)) + "\n"
	case p.err != "":
		return st.Error.Width(w).Render(p.err) + "\n"
	}
	return ""
}

// switchHelp is the Tab binding for the help bar, worded for the mode.
func (p *codePrompt) switchHelp() key.Binding {
	sw := p.input.KeyMap.Switch
	label := p.input.SwitchLabel()
	sw.SetHelp("tab", strings.ToLower(label[:1])+label[1:])
	return sw
}
