package screens

import (
	"fmt"
	"testing"
	"time"

	"github.com/twofa/twofa/client"
	"github.com/twofa/twofa/internal/wire"
	"github.com/twofa/twofa/session"
	"github.com/twofa/twofa/ui"
)

// TestCodeScreensIdleWithoutLockout: the code screens that show backup
// codes next (the wizard's Verify & Enable, Regenerate) and Disable ask for
// no tick of their own, and one that arrives is not followed by another:
// an idle screen — 32 codes on show — draws no frame. A lockout ticks until
// it ends, then stops.
func TestCodeScreensIdleWithoutLockout(t *testing.T) {
	clock := newFakeClock()
	c := testCommon(clock.Now)
	c.SetSize(80, 24)
	env := offlineEnv(t)
	cur := &current{Session: session.Session{User: "alice", Token: "t"}}
	codes := make([]string, client.MaxBackupCodes)
	for i := range codes {
		codes[i] = fmt.Sprintf("CODE%06d", i)
	}

	regen := newRegenerate(c, env, cur)
	if cmd := regen.Init(); cmd != nil {
		t.Fatalf("Regenerate's Init asks for %#v", runCmd(cmd))
	}
	regen.Update(regenerateDoneMsg{res: &client.RegenerateResult{BackupCodes: codes}})
	if !regen.hasCodes {
		t.Fatal("the codes are not shown")
	}
	if _, cmd := regen.Update(ui.TickMsg{Tag: regen.entry.tag}); cmd != nil {
		t.Fatalf("a tick on the codes asks for another: %#v", runCmd(cmd))
	}

	en := newEnable(c, env, cur)
	en.Update(setupDoneMsg{res: &client.SetupResult{Secret: qrTestSecret, OTPAuthURL: "otpauth://totp/Example:alice?secret=" + qrTestSecret,
		Issuer: "Example", Account: "alice", BackupCodes: codes}})
	en.Update(verifySetupDoneMsg{res: &client.Changed{}})
	if en.step != stepCodes {
		t.Fatalf("step %d, want the codes", en.step)
	}
	if _, cmd := en.Update(ui.TickMsg{Tag: en.entry.tag}); cmd != nil {
		t.Fatalf("a tick on the wizard's codes asks for another: %#v", runCmd(cmd))
	}

	dis := newDisable(c, env, cur)
	if cmd := dis.Init(); cmd != nil {
		t.Fatalf("Disable's Init asks for %#v", runCmd(cmd))
	}
	_, cmd := dis.Update(disableDoneMsg{err: &client.APIError{Status: 429, Code: wire.LockedOut, RetryAfter: 2 * time.Second}})
	var ticks, seen int
	for _, m := range runAll(cmd) {
		switch m.(type) {
		case ui.TickMsg:
			ticks++
		case lockSeenMsg:
			seen++
		}
	}
	if ticks != 1 || seen != 1 {
		t.Fatalf("a lockout gave %d ticks and %d lockSeenMsg, want one each", ticks, seen)
	}
	if _, cmd := dis.Update(ui.TickMsg{Tag: dis.entry.tag}); cmd == nil {
		t.Fatal("the countdown stopped during the lockout")
	}
	clock.Advance(3 * time.Second)
	if _, cmd := dis.Update(ui.TickMsg{Tag: dis.entry.tag}); cmd != nil {
		t.Fatal("the countdown goes on after the lockout ended")
	}
}
