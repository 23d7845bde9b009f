package sshui

import (
	"fmt"
	"strings"
	"time"

	"github.com/charmbracelet/ssh"
	"github.com/charmbracelet/wish"
	"github.com/twofa/twofa/ui/words"
)

// account is the outermost session middleware: it tracks the session for
// Shutdown, and once the program has ended says why when the person did
// not end it themselves (idle, too long, shutting down), ends the session,
// ends at the server what it left signed in, and lets the connection go
// after a short grace.
func (s *Server) account(next ssh.Handler) ssh.Handler {
	return func(sess ssh.Session) {
		v := visitOf(sess.Context())
		if v == nil {
			wish.Fatalln(sess, "twofa: this connection was not admitted.")
			return
		}
		defer v.conn.closeAfter(shutdownGrace)
		if !s.track(v, true) {
			v.end(endedShutdown)
			wish.Fatalln(sess, s.farewell(endedShutdown))
			return
		}
		defer s.track(v, false)
		next(sess)
		if line := s.farewell(v.endedBy()); line != "" {
			_, _ = fmt.Fprint(sess, line+"\r\n")
		}
		_ = sess.Exit(0)
		s.endSessions(v)
	}
}

// admit refuses, each with one line, a connection over its address's
// rate, one that asks to run a command or a subsystem, one without a
// terminal, and one beyond the maximum of sessions; the others get a
// session slot for as long as their program runs.
func (s *Server) admit(next ssh.Handler) ssh.Handler {
	return func(sess ssh.Session) {
		v := visitOf(sess.Context())
		refuse := func(why outcome, line string) {
			v.end(why)
			wish.Fatalln(sess, line)
		}
		_, _, pty := sess.Pty()
		switch {
		case v.waitRate > 0:
			refuse(refusedRate, fmt.Sprintf("twofa: too many connections from your address; try again in %s.", words.Duration(roundUp(v.waitRate))))
		case sess.RawCommand() != "" || sess.Subsystem() != "":
			refuse(refusedCommand, "twofa: this server runs no commands; connect again without one.")
		case !pty:
			refuse(refusedNoPTY, "twofa: this needs a terminal; connect again with ssh -t.")
		case !s.sessions.take():
			refuse(refusedFull, fmt.Sprintf("twofa: all %d sessions are in use; try again in a few minutes.", s.opts.MaxSessions))
		default:
			defer s.sessions.give()
			next(sess)
		}
	}
}

// farewell is the line that tells a person why their session ended, ""
// when they ended it.
func (s *Server) farewell(why outcome) string {
	switch why {
	case endedIdle:
		return fmt.Sprintf("twofa: no key pressed for %s; session ended. Connect again to go on.", words.Duration(s.opts.IdleTimeout))
	case endedMax:
		return fmt.Sprintf("twofa: sessions last at most %s; session ended. Connect again to go on.", words.Duration(s.opts.MaxSession))
	case endedShutdown:
		return "twofa: the server is shutting down; session ended. Connect again soon."
	}
	return ""
}

// roundUp rounds d up to whole seconds, at least one.
func roundUp(d time.Duration) time.Duration {
	return max(time.Second, (d + time.Second - 1).Truncate(time.Second))
}

// logVisit writes the connection's one log line: its address, how long it
// lasted, who signed in through it and how it ended — never a password,
// code or token (the UI holds those; the log has no access to them).
func (s *Server) logVisit(v *visit, o outcome, now time.Time) {
	users, _ := v.signIns()
	s.opts.Logger.Info("ssh connection",
		"id", v.id,
		"addr", v.addr.String(),
		"duration", now.Sub(v.start).Round(time.Millisecond).String(),
		"users", strings.Join(users, ","),
		"outcome", string(o))
}
