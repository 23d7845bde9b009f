package screens

import (
	"strings"
	"testing"
	"time"

	"github.com/twofa/twofa/session"
	"github.com/twofa/twofa/ui/words"
)

// TestSecurityShowsLock: a lock a code screen met is on the Security tab
// until it ends.
func TestSecurityShowsLock(t *testing.T) {
	clock := newFakeClock()
	a := New(offlineEnv(t), testOptions(clock.Now))
	a.common.SetSize(80, 24)
	a.route(lockSeenMsg{until: clock.Now().Add(15 * time.Minute)})
	s := newSecurity(a.common, a.env, a.cur, "", false)
	s.SetSize(78, 22)
	s.Update(accountLoadedMsg{account: session.Account{TwoFactorOn: true}})
	want := words.LockedUntil(clock.Now().Add(15 * time.Minute))
	if v := s.View(); !strings.Contains(v, "Code checks") || !strings.Contains(v, want) {
		t.Fatalf("Security lacks the lock %q:\n%s", want, v)
	}
	clock.Advance(15 * time.Minute)
	if v := s.View(); strings.Contains(v, "Code checks") {
		t.Errorf("the lock is still shown once over:\n%s", v)
	}
}

func TestAttemptsLeft(t *testing.T) {
	tests := []struct {
		failures int
		want     string
	}{
		{0, ""},
		{1, "At most 4 tries left"},
		{4, "At most 1 try left"},
		{5, "Code checks are now locked"},
	}
	for _, tc := range tests {
		if got := words.AttemptsLeft(tc.failures); !strings.HasPrefix(got, tc.want) || (tc.want == "") != (got == "") {
			t.Errorf("AttemptsLeft(%d) = %q, want %q…", tc.failures, got, tc.want)
		}
	}
}
