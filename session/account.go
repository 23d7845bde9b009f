package session

import (
	"context"
	"errors"

	"github.com/twofa/twofa/client"
)

// Account is the signed-in account as the server describes it.
type Account struct {
	// TwoFactorOn says whether two-factor authentication is on.
	TwoFactorOn bool
	// Me is the server's description of the account [ext]; nil where the
	// server has no /me (a stock CoPilot), which tells only TwoFactorOn.
	Me *client.Me
}

// Account loads s's account: from /me, or from /2fa/status where the
// server has no /me. The client remembers which, so once the server's kind
// is known this costs one request.
func (m *Manager) Account(ctx context.Context, s Session) (Account, error) {
	c := m.ClientFor(s)
	me, err := c.Me(ctx)
	if err == nil {
		return Account{TwoFactorOn: me.TwoFactor.Enabled, Me: me}, nil
	}
	if !errors.Is(err, client.ErrNotOffered) {
		return Account{}, err
	}
	st, err := c.TwoFAStatus(ctx)
	if err != nil {
		return Account{}, err
	}
	return Account{TwoFactorOn: st.Enabled}, nil
}
