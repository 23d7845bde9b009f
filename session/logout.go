package session

import (
	"context"
	"errors"
	"time"

	"github.com/twofa/twofa/client"
	"github.com/twofa/twofa/internal/wire"
)

// LoggedOut is what logging out did at the server. The session is deleted
// here whatever the server said.
type LoggedOut struct {
	// Revoked: the server ended the session.
	Revoked bool
	// Unrevocable: the server has no logout route (a stock CoPilot), so the
	// session stays valid there until ValidUntil — the token's own expiry,
	// zero when the token does not say.
	Unrevocable bool
	ValidUntil  time.Time
	// AlreadyEnded: the server no longer knew the session.
	AlreadyEnded bool
	// RevokeErr is why the server did not revoke the session (set with
	// AlreadyEnded too); nil when Revoked or Unrevocable.
	RevokeErr error
}

// Logout revokes s at the server when it offers that, then deletes s here
// whatever the server said. The error is a failure to delete it here; what
// the server did is in LoggedOut.
func (m *Manager) Logout(ctx context.Context, s Session) (LoggedOut, error) {
	var out LoggedOut
	err := m.ClientFor(s).Logout(ctx)
	var api *client.APIError
	switch {
	case err == nil:
		out.Revoked = true
	case errors.Is(err, client.ErrNotOffered):
		out.Unrevocable = true
		out.ValidUntil, _ = client.TokenExpiry(s.Token)
	case errors.As(err, &api) && api.Code == wire.Unauthorized:
		out.AlreadyEnded, out.RevokeErr = true, err
	default:
		out.RevokeErr = err
	}
	return out, m.Forget(s.User)
}
