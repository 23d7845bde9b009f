package sshui

import (
	"net"
	"time"

	"github.com/charmbracelet/ssh"
	gossh "golang.org/x/crypto/ssh"
)

// maxEnv is how many environment variables a session may set, and
// maxEnvBytes how long each may be: the SSH library keeps every one.
const (
	maxEnv      = 32
	maxEnvBytes = 1024
)

// newSSHServer is the SSH server with the policy: no client
// authentication (the UI signs people in), the host key, the connection
// guard and limits, one session channel per connection with its requests
// filtered, and the session middlewares.
func (s *Server) newSSHServer() *ssh.Server {
	srv := &ssh.Server{
		Version:     "twofa",
		HostSigners: []ssh.Signer{s.opts.HostKey.Signer},
		// The backstop of the maximum session length: the UI ends the
		// session first, with a line saying so.
		MaxTimeout:      s.opts.HandshakeTimeout + s.opts.MaxSession + time.Minute,
		ConnCallback:    s.admitConn,
		BannerHandler:   keyExchanged,
		ChannelHandlers: map[string]ssh.ChannelHandler{"session": s.sessionChannel},
		// No forwarding of any kind: nil callbacks and handlers refuse
		// direct-tcpip, tcpip-forward and streamlocal; agent and X11
		// requests are refused in filterRequests; subsystems here.
		SubsystemHandlers: map[string]ssh.SubsystemHandler{},
		RequestHandlers:   map[string]ssh.RequestHandler{},
		SessionRequestCallback: func(_ ssh.Session, requestType string) bool {
			return requestType == "shell" || requestType == "exec"
		},
	}
	srv.Handler = s.account(s.admit(s.programMiddleware()(func(ssh.Session) {})))
	return srv
}

// admitConn runs before the handshake: beyond the connections allowed at
// once it drops the connection (nothing can be said before the handshake);
// otherwise it opens the visit, notes whether the address's rate allows
// it (a refused one is told after the handshake), and guards it with the
// handshake deadline.
func (s *Server) admitConn(ctx ssh.Context, c net.Conn) net.Conn {
	now := s.opts.Now()
	v := &visit{id: s.nextID.Add(1), addr: peerAddr(c.RemoteAddr()), start: now}
	v.touched(now)
	if !s.conns.take() {
		s.logVisit(v, refusedBusy, now)
		_ = c.Close()
		return nil
	}
	if ok, wait := s.rate.allow(addressKey(v.addr), now); !ok {
		v.waitRate = wait
	}
	v.conn = newGuardedConn(c, now.Add(s.opts.HandshakeTimeout), func() {
		s.conns.give()
		s.logVisit(v, v.connOutcome(), s.opts.Now())
	})
	ctx.SetValue(visitKey{}, v)
	return v.conn
}

// keyExchanged is called once the client is at authentication, its key
// exchange done: it notes that, and sends no banner.
func keyExchanged(ctx ssh.Context) string {
	if v := visitOf(ctx); v != nil {
		v.authStarted.Store(true)
	}
	return ""
}

// sessionChannel accepts a connection's session channel — one per
// connection — with its requests filtered.
func (s *Server) sessionChannel(srv *ssh.Server, conn *gossh.ServerConn, ch gossh.NewChannel, ctx ssh.Context) {
	v := visitOf(ctx)
	if v == nil || !v.session.CompareAndSwap(false, true) {
		_ = ch.Reject(gossh.ResourceShortage, "twofa: one session per connection")
		return
	}
	v.conn.established()
	ssh.DefaultSessionHandler(srv, conn, filteredChannel{ch}, ctx)
}

// filteredChannel is a session channel whose agent-forwarding and X11
// requests are refused, and whose environment is kept small, before the
// SSH library sees them (it would accept agent forwarding).
type filteredChannel struct{ gossh.NewChannel }

// Accept accepts the channel and filters its requests.
func (f filteredChannel) Accept() (gossh.Channel, <-chan *gossh.Request, error) {
	ch, reqs, err := f.NewChannel.Accept()
	if err != nil {
		return nil, nil, err
	}
	out := make(chan *gossh.Request)
	go filterRequests(reqs, out)
	return ch, out, nil
}

// filterRequests passes on the requests a terminal session needs and
// refuses the others.
func filterRequests(in <-chan *gossh.Request, out chan<- *gossh.Request) {
	defer close(out)
	envs := 0
	for req := range in {
		switch req.Type {
		case "auth-agent-req@openssh.com", "x11-req":
			_ = req.Reply(false, nil)
			continue
		case "env":
			envs++
			if envs > maxEnv || len(req.Payload) > maxEnvBytes {
				_ = req.Reply(false, nil)
				continue
			}
		}
		out <- req
	}
}
