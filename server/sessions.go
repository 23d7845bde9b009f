package server

import (
	"context"
	"errors"
	"fmt"

	"github.com/twofa/twofa/server/auth"
	"github.com/twofa/twofa/server/store"
)

// Sessions come in families: a sign-in begins one, and each refresh
// replaces the family's token with a new one (the replaced token is kept,
// marked, until it expires). A replaced token presented again is a copy in
// someone else's hands, so the whole family ends. No token of a family
// outlives the sign-in by more than Options.SessionMaxAge. Logging out ends
// the family; a change of the account's second factor or password ends
// every other family of the account.

// session resolves a bearer token to a live session's account and token;
// a pending token is refused here, so it only works at completeSignIn.
func (s *Server) session(ctx context.Context, token, addr string) (store.User, store.Token, error) {
	tok, err := s.store.Tokens.Lookup(ctx, s.store.DB(), auth.HashToken(token), s.now())
	if errors.Is(err, store.ErrNotFound) {
		return store.User{}, store.Token{}, ErrSessionInvalid
	}
	if err != nil {
		return store.User{}, store.Token{}, err
	}
	if tok.Kind != store.KindSession {
		return store.User{}, store.Token{}, ErrPendingNotSession
	}
	u, err := s.store.Users.ByID(ctx, s.store.DB(), tok.UserID)
	if errors.Is(err, store.ErrNotFound) {
		return store.User{}, store.Token{}, ErrAccountGone
	}
	if err != nil {
		return store.User{}, store.Token{}, err
	}
	if tok.Replaced {
		return store.User{}, store.Token{}, s.endFamily(ctx, u, tok, addr, "a token replaced by a refresh was presented again")
	}
	return u, tok, nil
}

// refresh replaces the session's token with a new one of the same family
// and returns it; the old token no longer works. Two refreshes of one
// token (only a copy can make the second) end the family.
func (s *Server) refresh(ctx context.Context, u store.User, old store.Token, addr string) (string, error) {
	token, hash, err := auth.NewToken()
	if err != nil {
		return "", err
	}
	now := s.now()
	expires := now.Add(s.opts.AccessTTL)
	if end := old.FamilyStarted.Add(s.opts.SessionMaxAge); end.Before(expires) {
		expires = end
	}
	replaced := false
	err = s.store.Tx(ctx, func(h store.Handle) error {
		var err error
		if replaced, err = s.store.Tokens.Replace(ctx, h, old.Hash, now); err != nil || !replaced {
			return err
		}
		return s.store.Tokens.Insert(ctx, h, store.NewToken{Hash: hash, UserID: u.ID, Kind: store.KindSession, Family: old.Family, FamilyStarted: old.FamilyStarted}, now, expires)
	})
	if err != nil {
		return "", err
	}
	if !replaced {
		return "", s.endFamily(ctx, u, old, addr, "the same token was refreshed twice")
	}
	return token, nil
}

// endFamily revokes every token of tok's family, records why, and returns
// ErrSessionReused for the request that showed the copy.
func (s *Server) endFamily(ctx context.Context, u store.User, tok store.Token, addr, why string) error {
	err := s.store.Tx(ctx, func(h store.Handle) error {
		n, err := s.store.Tokens.RevokeFamily(ctx, h, tok.Family, s.now())
		if err != nil {
			return err
		}
		return s.auditIn(ctx, h, u, EventSessionReused, addr, fmt.Sprintf("%s; %s of its family revoked", why, count(n, "session")))
	})
	if err != nil {
		return err
	}
	return ErrSessionReused
}

// logout ends the session's family: its token and any refreshed from it.
func (s *Server) logout(ctx context.Context, u store.User, tok store.Token, addr string) error {
	return s.store.Tx(ctx, func(h store.Handle) error {
		if _, err := s.store.Tokens.RevokeFamily(ctx, h, tok.Family, s.now()); err != nil {
			return err
		}
		return s.auditIn(ctx, h, u, EventLogout, addr, "")
	})
}
