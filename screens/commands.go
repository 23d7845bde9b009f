package screens

import (
	"context"
	"errors"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/twofa/twofa/client"
	"github.com/twofa/twofa/keyring"
)

// Every request runs in a command with the Env's timeout; results come back
// as messages, so no frame ever waits on the network or the keyring.

type loginDoneMsg struct {
	username string
	res      *client.LoginResult
	err      error
}

func loginCmd(env *Env, username, password string) tea.Cmd {
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), env.timeout())
		defer cancel()
		res, err := env.Client.LoginAt(ctx, env.portal(username), username, password)
		return loginDoneMsg{username: username, res: res, err: err}
	}
}

type validateDoneMsg struct {
	token  string
	backup bool
	err    error
}

func validateCmd(env *Env, tempToken, code string, backup bool) tea.Cmd {
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), env.timeout())
		defer cancel()
		var tok *client.Token
		var err error
		if backup {
			tok, err = env.Client.ValidateBackup(ctx, tempToken, code)
		} else {
			tok, err = env.Client.ValidateTOTP(ctx, tempToken, code)
		}
		if err != nil {
			return validateDoneMsg{backup: backup, err: err}
		}
		return validateDoneMsg{token: tok.AccessToken, backup: backup}
	}
}

type accountLoadedMsg struct {
	status *client.TwoFAStatus
	me     *client.Me
	meErr  error
	err    error
}

// loadAccountCmd asks /me, which carries the 2FA state too, and falls back
// to /2fa/status where the server does not offer /me (meAbsent: already
// known), so a load costs one request once the server's kind is known.
func loadAccountCmd(env *Env, meAbsent bool) tea.Cmd {
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), env.timeout())
		defer cancel()
		if !meAbsent {
			me, err := env.Client.Me(ctx)
			if err == nil {
				return accountLoadedMsg{status: &client.TwoFAStatus{Enabled: me.TwoFactor.Enabled}, me: me}
			}
			if !errors.Is(err, client.ErrNotOffered) {
				return accountLoadedMsg{err: err}
			}
		}
		st, err := env.Client.TwoFAStatus(ctx)
		if err != nil {
			return accountLoadedMsg{err: err}
		}
		return accountLoadedMsg{status: st, meErr: client.ErrNotOffered}
	}
}

type setupDoneMsg struct {
	res *client.SetupResult
	err error
}

func setupCmd(env *Env, password string) tea.Cmd {
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), env.timeout())
		defer cancel()
		res, err := env.Client.Setup(ctx, password)
		return setupDoneMsg{res: res, err: err}
	}
}

type verifySetupDoneMsg struct{ err error }

func verifySetupCmd(env *Env, code string) tea.Cmd {
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), env.timeout())
		defer cancel()
		return verifySetupDoneMsg{err: env.Client.VerifySetup(ctx, code)}
	}
}

type regenerateDoneMsg struct {
	res *client.RegenerateResult
	err error
}

func regenerateCmd(env *Env, code string) tea.Cmd {
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), env.timeout())
		defer cancel()
		res, err := env.Client.RegenerateBackupCodes(ctx, code)
		return regenerateDoneMsg{res: res, err: err}
	}
}

type disableDoneMsg struct{ err error }

func disableCmd(env *Env, code string, backup bool) tea.Cmd {
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), env.timeout())
		defer cancel()
		if backup {
			return disableDoneMsg{err: env.Client.DisableBackup(ctx, code)}
		}
		return disableDoneMsg{err: env.Client.DisableTOTP(ctx, code)}
	}
}

type sessionSavedMsg struct {
	storage keyring.Storage
	err     error
}

// saveSessionCmd stores the token for the next run and remembers the user
// and the route they signed in at.
func saveSessionCmd(env *Env, username, token string, portal client.Portal) tea.Cmd {
	return func() tea.Msg {
		var errs []error
		var storage keyring.Storage
		if env.Store != nil {
			if err := env.Store.Save(env.Server(), username, token); err != nil {
				errs = append(errs, err)
			}
			storage = env.Store.Storage()
		}
		if env.Remember != nil {
			if err := env.Remember(username, portal); err != nil {
				errs = append(errs, err)
			}
		}
		return sessionSavedMsg{storage: storage, err: errors.Join(errs...)}
	}
}

type loggedOutMsg struct {
	username string
	// unrevoked: the server has no logout, so the session lives on there
	// until validUntil (the token's expiry; zero when unknown).
	unrevoked  bool
	validUntil time.Time
	err        error
}

// logoutCmd revokes the session at the server when it offers that, then
// forgets the token here whatever the server said.
func logoutCmd(env *Env, username string) tea.Cmd {
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), env.timeout())
		defer cancel()
		out := loggedOutMsg{username: username}
		token := env.Tokens.Token()
		err := env.Client.Logout(ctx)
		if errors.Is(err, client.ErrNotOffered) {
			err = nil
			out.unrevoked = true
			out.validUntil, _ = client.TokenExpiry(token)
		}
		env.Tokens.Clear()
		if env.Store != nil {
			if derr := env.Store.Delete(env.Server(), username); derr != nil && err == nil {
				err = derr
			}
		}
		out.err = err
		return out
	}
}

type forgetDoneMsg struct{ err error }

// forgetSessionCmd deletes a stored token the server no longer accepts.
func forgetSessionCmd(env *Env, username string) tea.Cmd {
	return func() tea.Msg {
		env.Tokens.Clear()
		if env.Store == nil {
			return forgetDoneMsg{}
		}
		return forgetDoneMsg{err: env.Store.Delete(env.Server(), username)}
	}
}

type resumeDoneMsg struct {
	username string
	ok       bool
	storage  keyring.Storage
	// ended: the server no longer takes the stored session (now deleted).
	ended bool
	err   error
}

// resumeCmd tries the stored session of the last user: load it, then ask
// /2fa/status whether the server still takes it.
func resumeCmd(env *Env, username string) tea.Cmd {
	return func() tea.Msg {
		out := resumeDoneMsg{username: username}
		if env.Store == nil || username == "" {
			return out
		}
		token, err := env.Store.Load(env.Server(), username)
		out.storage = env.Store.Storage()
		if err != nil || token == "" {
			return out // nothing stored (or unreadable): plain sign-in
		}
		env.Tokens.Set(token)
		ctx, cancel := context.WithTimeout(context.Background(), env.timeout())
		defer cancel()
		if _, err := env.Client.TwoFAStatus(ctx); err != nil {
			env.Tokens.Clear()
			var api *client.APIError
			if errors.As(err, &api) && api.Code == client.CodeUnauthorized {
				_ = env.Store.Delete(env.Server(), username)
				out.ended = true
				return out
			}
			out.err = err
			return out
		}
		out.ok = true
		return out
	}
}
