package session

import (
	"context"
	"errors"
	"slices"

	"github.com/twofa/twofa/client"
)

// Account is the signed-in account as the server describes it.
type Account struct {
	// TwoFactorOn says whether two-factor authentication is on.
	TwoFactorOn bool
	// Me is the server's description of the account [ext]; nil where the
	// server has no /me (a stock CoPilot), which tells only TwoFactorOn.
	Me *client.Me
	// Admin says the account may manage others: /me's role where the
	// server has /me, else the session token's scopes (CoPilot's JWT). It
	// only chooses what a front end offers; the server decides.
	Admin bool
}

// isAdmin reads whether the account is an administrator (see Account.Admin).
func isAdmin(me *client.Me, token string) bool {
	if me != nil {
		return me.Role == "admin"
	}
	return slices.Contains(client.TokenScopes(token), "admin")
}

// Account loads s's account: from /me, or from /2fa/status where the
// server has no /me. The client remembers which, so once the server's kind
// is known this costs one request.
func (m *Manager) Account(ctx context.Context, s Session) (Account, error) {
	c := m.ClientFor(s)
	me, err := c.Me(ctx)
	if err == nil {
		return Account{TwoFactorOn: me.TwoFactor.Enabled, Me: me, Admin: isAdmin(me, s.Token)}, nil
	}
	if !errors.Is(err, client.ErrNotOffered) {
		return Account{}, err
	}
	st, err := c.TwoFAStatus(ctx)
	if err != nil {
		return Account{}, err
	}
	return Account{TwoFactorOn: st.Enabled, Admin: isAdmin(nil, s.Token)}, nil
}
