package screens

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/spinner"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/twofa/twofa/client"
	"github.com/twofa/twofa/internal/wire"
	"github.com/twofa/twofa/ui"
	"github.com/twofa/twofa/ui/codeinput"
	"github.com/twofa/twofa/ui/words"
)

// codeEntry is the part every code-entry screen shares (second factor at
// sign-in, Verify & Enable, Regenerate, Disable): the code field, the
// server's lockout with the once-a-second tick that counts it down, and the
// error line. The screen keeps its titles and texts, the request it sends
// and what success does. The tick runs only while something counts down (a
// lockout, or the screen's own countdown: always), so an idle screen — the
// backup codes the wizard and Regenerate show after the code — draws nothing.
type codeEntry struct {
	input   codeinput.Model
	err     string
	lock    lockout
	tag     int  // of the screen's ui.TickMsg
	always  bool // the screen counts down all the time (the pending sign-in)
	ticking bool // a tick is on its way
	words   words.Words
	// hint follows the lockout: who can end it (unlockHint).
	hint string
	// failures counts the codes this screen saw refused as wrong.
	failures int
	// back is the key that cancels a request in flight (Esc).
	back key.Binding
	// clockHint: a wrong code also says to check the phone's clock
	// (enrolment, where a wrong clock is the usual cause).
	clockHint bool
	again     ui.Repeats // a refusal that repeats the last says its count
}

// newCodeEntry returns an empty code entry; allowBackup lets Tab switch the
// field to a backup code.
func newCodeEntry(c ui.Common, allowBackup bool) codeEntry {
	return codeEntry{input: codeinput.New(c, allowBackup), tag: c.NextTag(), words: c.Words, back: c.KeyMap.Back}
}

// startTicking is the screen's Init command: the first tick of a screen
// that always counts down; nil for the others, which tick only in a lockout.
func (e *codeEntry) startTicking() tea.Cmd {
	if !e.always {
		return nil
	}
	return e.nextTick()
}

// nextTick asks for the next tick unless one is on its way.
func (e *codeEntry) nextTick() tea.Cmd {
	if e.ticking {
		return nil
	}
	e.ticking = true
	return ui.Tick(e.tag)
}

// backup reports whether the field takes a backup code now.
func (e *codeEntry) backup() bool { return e.input.Mode() == codeinput.Backup }

// ownTick reports whether msg is this entry's tick, not another countdown's.
func (e *codeEntry) ownTick(msg ui.TickMsg) bool { return msg.Tag == e.tag }

// tick handles a ui.TickMsg: a lockout that has run out ends (the field takes
// keys again and the error line says so) and the next tick is asked for
// while something still counts down. Another countdown's tick is ignored.
func (e *codeEntry) tick(msg ui.TickMsg, now time.Time) tea.Cmd {
	if !e.ownTick(msg) {
		return nil
	}
	e.ticking = false
	if !e.lock.until.IsZero() && !e.lock.active(now) {
		e.lock = lockout{}
		e.input = e.input.SetDisabled(false)
		e.err = "You can try again now."
	}
	if !e.always && e.lock.until.IsZero() {
		return nil
	}
	return e.nextTick()
}

// handle takes, for a code screen, the messages every one treats alike: its
// countdown's tick, the spinner's (busy) tick, and keys while a request is
// under way: Esc cancels it (its context; the code stays in the field), and
// the app holds other keys until the answer. ok is false for a message the
// screen handles.
func (e *codeEntry) handle(msg tea.Msg, now time.Time, busy *ui.Busy) (cmd tea.Cmd, ok bool) {
	switch msg := msg.(type) {
	case ui.TickMsg:
		return e.tick(msg, now), true
	case spinner.TickMsg:
		*busy, cmd = busy.Update(msg)
		return cmd, true
	case tea.KeyMsg:
		if !busy.Active() {
			return nil, false
		}
		if key.Matches(msg, e.back) {
			busy.Stop()
			e.input = e.input.SetDisabled(false)
			e.err = words.Cancelled("enter")
		}
		return nil, true
	}
	return nil, false
}

// update passes a key to the field; switching between app and backup code
// clears the error line.
func (e *codeEntry) update(msg tea.KeyMsg) {
	prev := e.input.Mode()
	e.input, _ = e.input.Update(msg)
	if e.input.Mode() != prev {
		e.err = ""
	}
}

// submit checks the typed code. ok is false while locked out or when the
// code is incomplete (the error line then says what to type); when ok, the
// field is disabled until answered, and the screen sends code.
func (e *codeEntry) submit(now time.Time) (code string, backup, ok bool) {
	if e.lock.active(now) {
		return "", false, false
	}
	code, ok = e.input.Value()
	backup = e.backup()
	if !ok {
		if backup {
			e.err = "Type one of your backup codes."
		} else {
			e.err = "Type the 6 digits your app shows."
		}
		return "", false, false
	}
	e.err = ""
	e.input = e.input.SetDisabled(true)
	return code, backup, true
}

// send checks the typed code and, when it is complete and no lockout
// holds, shows busy with label and returns request's command for the code;
// nil otherwise (the error line then says what to type).
func (e *codeEntry) send(now time.Time, busy *ui.Busy, label string, request func(ctx context.Context, code string, backup bool) tea.Cmd) tea.Cmd {
	code, backup, ok := e.submit(now)
	if !ok {
		return nil
	}
	tick := busy.Start(label)
	return tea.Batch(tick, request(busy.Context(), code, backup))
}

// answered ends the request send started: the spinner stops and the field
// is enabled again, with what was typed still in it until refuse decides.
func (e *codeEntry) answered(busy *ui.Busy) {
	busy.Stop()
	e.input = e.input.SetDisabled(false)
}

// refuse shows a refused code: a lockout disables the field and starts the
// countdown (the command is its tick), anything else goes on the error line.
// A refused backup code stays in the field, selected, so its typo shows
// and typing replaces it; an authenticator code is cleared for the next.
func (e *codeEntry) refuse(out codeOutcome, now time.Time) tea.Cmd {
	if e.backup() {
		e.input = e.input.Select()
	} else {
		e.input = e.input.Reset()
	}
	if out.lockFor > 0 {
		e.lock = lockout{until: now.Add(out.lockFor)}
		e.input = e.input.SetDisabled(true)
		e.err = ""
		e.again.Reset()
		return tea.Batch(e.nextTick(), send(lockSeenMsg{until: e.lock.until}))
	}
	e.err = e.again.Say(out.text)
	if out.wrong {
		e.failures++
		if left := words.AttemptsLeft(e.failures); left != "" {
			e.err += " " + left
		}
		if e.clockHint {
			e.err += "\n" + words.ClockHint
		}
	}
	return nil
}

// locked reports whether a lockout holds at now.
func (e *codeEntry) locked(now time.Time) bool { return e.lock.active(now) }

// fail settles the field after a signed-in request refused the code: an
// ended session goes back to Sign in, anything else is shown by refuse.
func (e *codeEntry) fail(err error, now time.Time, env *Env, backup bool) tea.Cmd {
	out := explainCodeError(err, now, env.clock(), backup, e.words)
	if out.ended {
		return send(sessionEndedMsg{})
	}
	e.hint = unlockHint(env)
	return e.refuse(out, now)
}

// intro picks the screen's instruction for the field's mode.
func (e *codeEntry) intro(totp, backup string) string {
	if e.backup() {
		return backup
	}
	return totp
}

// status is the line under the field: the spinner while busy, else the
// lockout countdown, else the error; an empty line when there is nothing
// to say, so what follows never moves when something is.
func (e *codeEntry) status(st *ui.Styles, w int, busy ui.Busy, now time.Time) string {
	switch {
	case busy.Active():
		return busy.View() + "\n"
	case e.lock.active(now) && e.hint != "":
		return st.Error.Width(w).Render("✗ "+e.lock.text(now)) + "\n" + st.Subtle.Width(w).Render(e.hint) + "\n"
	case e.lock.active(now):
		return st.Error.Width(w).Render("✗ "+e.lock.text(now)) + "\n"
	case e.err != "":
		return st.Error.Width(w).Render(e.err) + "\n"
	}
	return "\n"
}

// switchHelp is the Tab binding for the help bar, worded for the mode.
func (e *codeEntry) switchHelp() key.Binding {
	sw := e.input.KeyMap.Switch
	label := e.input.SwitchLabel()
	sw.SetHelp("tab", strings.ToLower(label[:1])+label[1:])
	return sw
}

// lockout is the second-factor lock a server reported: input stays disabled
// and a countdown shows until it ends.
type lockout struct {
	until time.Time
}

// active reports whether the lock still holds at now.
func (l lockout) active(now time.Time) bool { return !l.until.IsZero() && now.Before(l.until) }

// text is the countdown line, e.g. "Too many failed attempts — try again in 14:32".
func (l lockout) text(now time.Time) string {
	return words.LockedCountdown(l.until.Sub(now))
}

// codeOutcome is what a screen shows after the server refused a code.
type codeOutcome struct {
	text    string
	lockFor time.Duration // > 0: lock input for this long
	wrong   bool          // the code was wrong: it counts towards the lock
	expired bool          // the pending sign-in is gone: back to Sign in
	ended   bool          // the session is gone: back to Sign in
}

// explainCodeError decides what a refused code does to a code screen, in
// w's words: a wrong or reused code keeps the prompt with a sentence that
// says what to do next, a lockout locks it for its duration, and a sign-in
// or session that is over leaves.
func explainCodeError(err error, now time.Time, clock client.Clock, backup bool, w words.Words) codeOutcome {
	var api *client.APIError
	if !errors.As(err, &api) {
		return codeOutcome{text: w.Error(err)}
	}
	switch api.Code {
	case wire.InvalidCode:
		return codeOutcome{text: "✗ " + words.WrongCode(backup), wrong: true}
	case wire.CodeReused:
		return codeOutcome{text: "✗ " + words.CodeReused(clock.SecondsLeftInStep(now))}
	case wire.LockedOut:
		if api.RetryAfter > 0 {
			return codeOutcome{lockFor: api.RetryAfter}
		}
		return codeOutcome{text: "✗ " + words.LockedOut(0)}
	case wire.PendingExpired:
		return codeOutcome{expired: true, text: words.SignInExpired}
	case wire.Unauthorized:
		return codeOutcome{ended: true}
	}
	return codeOutcome{text: "✗ " + w.Error(err)}
}

// driftWarning is the clock-drift note, or "" when the clocks agree within
// client.DriftLimit.
func driftWarning(clock client.Clock) string {
	if !clock.Drifted() {
		return ""
	}
	return words.ClockDrift(clock.Offset)
}

// submitLine is the body's "enter" line naming what Enter does, or nothing
// while a lock holds: Enter then does nothing, so it is not offered.
func (e *codeEntry) submitLine(st *ui.Styles, now time.Time, pad, label string) string {
	if e.locked(now) {
		return ""
	}
	return st.Key.Render("enter") + pad + label + "\n"
}

// submitHelp is the footer's Enter binding relabelled, or none while a lock
// holds (Enter does nothing then).
func (e *codeEntry) submitHelp(submit key.Binding, now time.Time, label string) []key.Binding {
	if e.locked(now) {
		return nil
	}
	return []key.Binding{ui.Relabel(submit, label)}
}
