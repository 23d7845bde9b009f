package server

import (
	"context"
	"errors"
	"time"

	"github.com/twofa/twofa/server/auth"
	"github.com/twofa/twofa/server/store"
)

// enrollment returns the account's enrollment, or store.ErrNotFound.
func (s *Server) enrollment(ctx context.Context, userID int64) (store.Enrollment, error) {
	return s.store.TwoFactor.Enrollment(ctx, s.store.DB(), userID)
}

// twoFactorOn reports whether the account has 2FA enabled.
func (s *Server) twoFactorOn(ctx context.Context, userID int64) (bool, error) {
	_, on, err := s.enabledEnrollment(ctx, userID)
	return on, err
}

// enabledEnrollment reads the account's enrollment and reports whether it
// is enabled; an account with none gives a zero Enrollment and false.
func (s *Server) enabledEnrollment(ctx context.Context, userID int64) (store.Enrollment, bool, error) {
	enr, err := s.enrollment(ctx, userID)
	if errors.Is(err, store.ErrNotFound) {
		return store.Enrollment{}, false, nil
	}
	if err != nil {
		return store.Enrollment{}, false, err
	}
	return enr, enr.State == store.StateEnabled, nil
}

// twoFactorState is an account's 2FA at a glance.
type twoFactorState struct {
	enabled    bool
	enabledAt  *time.Time
	codesLeft  int
	codesTotal int
}

// twoFactorOf returns the 2FA state of an account: off, or on since when
// with how many backup codes left.
func (s *Server) twoFactorOf(ctx context.Context, userID int64) (twoFactorState, error) {
	enr, err := s.enrollment(ctx, userID)
	if errors.Is(err, store.ErrNotFound) || (err == nil && enr.State != store.StateEnabled) {
		return twoFactorState{}, nil
	}
	if err != nil {
		return twoFactorState{}, err
	}
	left, total, err := s.store.TwoFactor.CountBackupCodes(ctx, s.store.DB(), userID)
	if err != nil {
		return twoFactorState{}, err
	}
	return twoFactorState{enabled: true, enabledAt: enr.EnabledAt, codesLeft: left, codesTotal: total}, nil
}

// enabledSecret returns the decrypted secret of an account with 2FA on, or
// ErrNotEnabled.
func (s *Server) enabledSecret(ctx context.Context, userID int64) (string, error) {
	enr, err := s.enrollment(ctx, userID)
	if errors.Is(err, store.ErrNotFound) || (err == nil && enr.State != store.StateEnabled) {
		return "", ErrNotEnabled
	}
	if err != nil {
		return "", err
	}
	secret, err := s.ring.Decrypt(enr.SecretEnc)
	if err != nil {
		return "", err
	}
	return string(secret), nil
}

// newEnrollment is a pending enrollment as shown once to its account.
type newEnrollment struct {
	secret      string   // base32
	url         string   // otpauth URI
	qrPNG       []byte   // the URI as a QR code
	backupCodes []string // XXXXX-XXXXX
}

// startSetup checks the account password again, then makes a new pending
// secret and backup codes that replace any earlier pending enrollment.
func (s *Server) startSetup(ctx context.Context, u store.User, password, addr string) (newEnrollment, error) {
	on, err := s.twoFactorOn(ctx, u.ID)
	if err != nil {
		return newEnrollment{}, err
	}
	if on {
		return newEnrollment{}, ErrAlreadyEnabled
	}
	if password == "" {
		return newEnrollment{}, ErrPasswordRequired
	}
	if err := s.checkPassword(ctx, u, u.Username, password, addr, EventReauthFailed, "2fa setup"); err != nil {
		if errors.Is(err, errWrongPassword) {
			return newEnrollment{}, ErrInvalidPassword
		}
		return newEnrollment{}, err
	}
	key, err := auth.NewTOTP(s.opts.Issuer, u.Username)
	if err != nil {
		return newEnrollment{}, err
	}
	qrPNG, err := auth.QRPNG(key.URL)
	if err != nil {
		return newEnrollment{}, err
	}
	enc, err := s.ring.Encrypt([]byte(key.Secret))
	if err != nil {
		return newEnrollment{}, err
	}
	shown, rows, err := s.newBackupSet(ctx, u.ID)
	if err != nil {
		return newEnrollment{}, err
	}
	err = s.store.Tx(ctx, func(h store.Handle) error {
		return s.store.TwoFactor.StartEnrollment(ctx, h, u.ID, enc, rows, s.now())
	})
	if errors.Is(err, store.ErrConflict) {
		return newEnrollment{}, ErrAlreadyEnabled
	}
	if err != nil {
		return newEnrollment{}, err
	}
	s.audit(ctx, nil, u, EventSetupStarted, addr, "")
	return newEnrollment{secret: key.Secret, url: key.URL, qrPNG: qrPNG, backupCodes: shown}, nil
}

// verifySetup turns the pending enrollment on with its first code, which
// spends its time step, and ends every session of the account but the
// family keep (the caller's); it returns how many it ended. It enables
// exactly the secret the code was checked against: the enabling statement
// compares the pending secret with the one read here, in the transaction
// that accepts the code, so a setup that replaced it meanwhile makes this
// fail with ErrSetupReplaced instead of enabling a secret nobody verified.
func (s *Server) verifySetup(ctx context.Context, u store.User, keep, code, addr string) (int, error) {
	enr, err := s.enrollment(ctx, u.ID)
	if errors.Is(err, store.ErrNotFound) {
		return 0, ErrSetupRequired
	}
	if err != nil {
		return 0, err
	}
	if enr.State == store.StateEnabled {
		return 0, ErrAlreadyEnabled
	}
	secret, err := s.ring.Decrypt(enr.SecretEnc)
	if err != nil {
		return 0, err
	}
	if s.beforeEnable != nil {
		s.beforeEnable()
	}
	revoked := 0
	err = s.verifyFactor(ctx, check{
		user: u, secret: string(secret), in: factor{TOTP: code}, addr: addr, route: "verify-setup",
		onSuccess: func(ctx context.Context, h store.Handle) (string, error) {
			err := s.store.TwoFactor.Enable(ctx, h, u.ID, enr.SecretEnc, s.now())
			switch {
			case errors.Is(err, store.ErrChanged):
				return "", ErrSetupReplaced
			case errors.Is(err, store.ErrConflict):
				return "", ErrAlreadyEnabled
			case errors.Is(err, store.ErrNotFound):
				return "", ErrSetupRequired
			case err != nil:
				return "", err
			}
			return s.revokeOthers(ctx, h, u.ID, keep, &revoked)
		},
		event: EventTwoFactorEnabled,
	})
	return revoked, err
}

// regenerate replaces the whole backup set after a current TOTP; every
// earlier code is dead at once, and so is every session of the account
// but the family keep. It returns the new codes to show once and how many
// sessions it ended.
func (s *Server) regenerate(ctx context.Context, u store.User, keep, code, addr string) ([]string, int, error) {
	secret, err := s.enabledSecret(ctx, u.ID)
	if err != nil {
		return nil, 0, err
	}
	var shown []string
	var rows []store.NewBackupCode
	revoked := 0
	err = s.verifyFactor(ctx, check{
		user: u, secret: secret, in: factor{TOTP: code}, addr: addr, route: "regenerate",
		prepare: func() (err error) {
			shown, rows, err = s.newBackupSet(ctx, u.ID)
			return err
		},
		onSuccess: func(ctx context.Context, h store.Handle) (string, error) {
			if err := s.store.TwoFactor.ReplaceBackupCodes(ctx, h, u.ID, rows, s.now()); err != nil {
				return "", err
			}
			return s.revokeOthers(ctx, h, u.ID, keep, &revoked)
		},
		event: EventCodesRegenerated,
	})
	if err != nil {
		return nil, 0, err
	}
	return shown, revoked, nil
}

// disable deletes the secret and every backup code after a current TOTP
// or a backup code, and ends every session of the account but the family
// keep; it returns how many sessions it ended.
func (s *Server) disable(ctx context.Context, u store.User, keep string, in factor, addr string) (int, error) {
	secret, err := s.enabledSecret(ctx, u.ID)
	if err != nil {
		return 0, err
	}
	revoked := 0
	err = s.verifyFactor(ctx, check{
		user: u, secret: secret, in: in, addr: addr, route: "disable",
		onSuccess: func(ctx context.Context, h store.Handle) (string, error) {
			if _, err := s.store.TwoFactor.Remove(ctx, h, u.ID); err != nil {
				return "", err
			}
			return s.revokeOthers(ctx, h, u.ID, keep, &revoked)
		},
		event: EventTwoFactorDisabled,
	})
	return revoked, err
}

// revokeOthers ends every session of the account but the family keep in
// the transaction h, stores how many in *n and returns the audit note.
func (s *Server) revokeOthers(ctx context.Context, h store.Handle, userID int64, keep string, n *int) (string, error) {
	var err error
	if *n, err = s.store.Tokens.RevokeSessions(ctx, h, userID, keep, s.now()); err != nil {
		return "", err
	}
	return revokedNote(*n), nil
}

// revokedNote is the audit note of n ended sessions; "" for none.
func revokedNote(n int) string {
	if n == 0 {
		return ""
	}
	return count(n, "other session") + " revoked"
}
