package screens

import (
	tea "github.com/charmbracelet/bubbletea"
	"github.com/twofa/twofa/client"
	"github.com/twofa/twofa/ui/words"
)

// required handles an account whose role requires 2FA and has none [ext]:
// during the grace the Security tab says how long it lasts; after it the
// session is good only for enrolling, so the enable wizard opens at once
// (once: leaving it comes back here, where the note says why). A server
// without /me (CoPilot) says nothing of the kind, and nothing is shown.
func (s *securityScreen) required() tea.Cmd {
	s.requiredNote = ""
	me := s.me()
	if me == nil || !me.TwoFactor.Required || me.TwoFactor.Enabled {
		return nil
	}
	tf := me.TwoFactor
	if tf.EnrollmentOnly {
		s.requiredNote = words.RequiredNow
		if s.autoEnrol {
			s.autoEnrol = false
			return send(openEnableMsg{})
		}
		return nil
	}
	if tf.RequiredBy != nil {
		s.requiredNote = words.RequiredGrace(tf.RequiredBy.Sub(s.common.Now()), *tf.RequiredBy)
	}
	return nil
}

// unlockHint says, under a lockout, that an administrator can end it: by
// name of the route where the server is known to offer unlock (the
// reference server, which has /me too), else in general.
func unlockHint(env *Env) string {
	c := env.Sessions.Client()
	if on, known := c.Offers(client.ExtUnlock); known {
		return words.LockedAskAdmin(on)
	}
	on, known := c.Offers(client.ExtMe)
	return words.LockedAskAdmin(on && known)
}
