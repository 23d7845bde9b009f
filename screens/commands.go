package screens

import (
	"context"
	"errors"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/twofa/twofa/client"
	"github.com/twofa/twofa/internal/wire"
	"github.com/twofa/twofa/keyring"
	"github.com/twofa/twofa/session"
)

// The commands of every screen: each asks the session manager (or the
// client bound to a session) and answers with a message. They get the
// Session they act for as a value, and none changes the app's. A request
// runs under ctx (the screen's ui.Busy context), so Esc cancels it; its
// answer then carries context.Canceled, and env.request drops it.

type loginDoneMsg struct {
	username string
	res      session.SignInResult
	err      error
}

func loginCmd(ctx context.Context, env *Env, username, password string) tea.Cmd {
	return env.request(ctx, func(ctx context.Context) (tea.Msg, error) {
		res, err := env.Sessions.SignIn(ctx, username, password)
		return loginDoneMsg{username: username, res: res, err: err}, err
	})
}

type validateDoneMsg struct {
	session session.Session
	backup  bool
	err     error
}

func validateCmd(ctx context.Context, env *Env, p session.Pending, code string, backup bool) tea.Cmd {
	return env.request(ctx, func(ctx context.Context) (tea.Msg, error) {
		s, err := env.Sessions.SecondFactor(ctx, p, code, backup)
		return validateDoneMsg{session: s, backup: backup, err: err}, err
	})
}

type accountLoadedMsg struct {
	account session.Account
	err     error
}

// loadAccountCmd loads s's account: /me, or /2fa/status where the server
// has none (the client remembers which, so it costs one request).
func loadAccountCmd(ctx context.Context, env *Env, s session.Session) tea.Cmd {
	return env.request(ctx, func(ctx context.Context) (tea.Msg, error) {
		acct, err := env.Sessions.Account(ctx, s)
		return accountLoadedMsg{account: acct, err: err}, err
	})
}

type setupDoneMsg struct {
	res *client.SetupResult
	err error
}

// clientCmd makes one call of s's client (a method taking one string) as a
// request, and its result into a message with done.
func clientCmd[T any](ctx context.Context, env *Env, s session.Session, call func(*client.Client, context.Context, string) (T, error), arg string, done func(T, error) tea.Msg) tea.Cmd {
	return env.request(ctx, func(ctx context.Context) (tea.Msg, error) {
		res, err := call(env.Sessions.ClientFor(s), ctx, arg)
		return done(res, err), err
	})
}

func setupCmd(ctx context.Context, env *Env, s session.Session, password string) tea.Cmd {
	return clientCmd(ctx, env, s, (*client.Client).Setup, password, func(res *client.SetupResult, err error) tea.Msg { return setupDoneMsg{res, err} })
}

// verifySetupDoneMsg: res says how many other sessions enabling ended.
type verifySetupDoneMsg struct {
	res *client.Changed
	err error
}

func verifySetupCmd(ctx context.Context, env *Env, s session.Session, code string) tea.Cmd {
	return clientCmd(ctx, env, s, (*client.Client).VerifySetup, code, func(res *client.Changed, err error) tea.Msg { return verifySetupDoneMsg{res, err} })
}

type regenerateDoneMsg struct {
	res *client.RegenerateResult
	err error
}

func regenerateCmd(ctx context.Context, env *Env, s session.Session, code string) tea.Cmd {
	return clientCmd(ctx, env, s, (*client.Client).RegenerateBackupCodes, code, func(res *client.RegenerateResult, err error) tea.Msg { return regenerateDoneMsg{res, err} })
}

// disableDoneMsg: res says how many other sessions disabling ended.
type disableDoneMsg struct {
	res *client.Changed
	err error
}

func disableCmd(ctx context.Context, env *Env, s session.Session, code string, backup bool) tea.Cmd {
	disable := (*client.Client).DisableTOTP
	if backup {
		disable = (*client.Client).DisableBackup
	}
	return clientCmd(ctx, env, s, disable, code, func(res *client.Changed, err error) tea.Msg { return disableDoneMsg{res, err} })
}

type sessionSavedMsg struct {
	storage keyring.Storage
	err     error
}

// saveSessionCmd keeps s for the next run and remembers its user and the
// route they signed in at.
func saveSessionCmd(env *Env, s session.Session) tea.Cmd {
	return func() tea.Msg {
		st, err := env.Sessions.Save(s)
		return sessionSavedMsg{storage: st, err: err}
	}
}

type loggedOutMsg struct {
	username string
	out      session.LoggedOut
	err      error // deleting it here failed
}

// logoutCmd ends s at the server when it offers that, and here whatever
// the server said.
func logoutCmd(ctx context.Context, env *Env, s session.Session) tea.Cmd {
	return env.request(ctx, func(ctx context.Context) (tea.Msg, error) {
		out, err := env.Sessions.Logout(ctx, s)
		return loggedOutMsg{username: s.User, out: out, err: err}, err
	})
}

type forgetDoneMsg struct{ err error }

// forgetSessionCmd deletes a stored session the server no longer accepts.
func forgetSessionCmd(env *Env, user string) tea.Cmd {
	return func() tea.Msg { return forgetDoneMsg{err: env.Sessions.Forget(user)} }
}

type resumeDoneMsg struct {
	session session.Session
	ok      bool
	storage keyring.Storage
	// ended: the server no longer takes the stored session (now deleted).
	ended bool
	err   error
}

// resumeCmd tries the stored session of username: it resumes when the
// server still takes it; one the server refuses is forgotten.
func resumeCmd(ctx context.Context, env *Env, username string) tea.Cmd {
	return env.request(ctx, func(ctx context.Context) (tea.Msg, error) {
		s, _, err := env.Sessions.Resume(ctx, username)
		out := resumeDoneMsg{session: s, ok: err == nil, storage: env.Sessions.Storage()}
		var api *client.APIError
		switch {
		case errors.Is(err, session.ErrNotStored):
			// Nothing stored: plain sign-in.
		case errors.As(err, &api) && api.Code == wire.Unauthorized:
			_ = env.Sessions.Forget(username)
			out.ended = true
		case err != nil:
			out.err = err
		}
		return out, err
	})
}
