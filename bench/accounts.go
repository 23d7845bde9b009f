package main

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"net/http/httptest"
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/hotp"
	"github.com/twofa/twofa/server"
	"github.com/twofa/twofa/server/auth"
	"github.com/twofa/twofa/server/store"
)

// enrollShift moves the provisioning server's clock back when accounts
// enroll, so the enrollment code spends a step long past and each account
// can later pass validations at T-1, T and T+1 of the real clock.
const enrollShift = 10 * time.Minute

// account is a user the harness created, with what it needs to sign in.
type account struct {
	ID       int64
	Name     string
	Password string
	Secret   string   // base32 TOTP secret; "" without 2FA
	Codes    []string // unused backup codes
}

// totpOpts are the code parameters of the server's enrollments (api.md).
var totpOpts = hotp.ValidateOpts{Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1}

// totpCode returns the TOTP code of a base32 secret for a time step, as an
// authenticator app computes it.
func totpCode(secret string, step int64) (string, error) {
	c, err := hotp.GenerateCodeCustom(secret, uint64(step), totpOpts)
	if err != nil {
		return "", fmt.Errorf("TOTP code: %w", err)
	}
	return c, nil
}

// codeAt returns the account's TOTP code for a time step.
func (a *account) codeAt(step int64) string {
	c, err := totpCode(a.Secret, step)
	if err != nil {
		panic(fmt.Sprintf("bench: account %s: %v", a.Name, err)) // its secret came from the server's setup answer
	}
	return c
}

// batch describes accounts to create.
type batch struct {
	prefix string
	n      int
	enable bool        // turn 2FA on
	backup auth.Params // backup-code costs; zero means the server's real ones
}

// provision creates a batch of users on dsn through an in-process server
// (server.Open behind httptest on loopback, driven by the real client) whose
// clock runs enrollShift behind. Passwords get argon2id test costs, which
// nothing measured touches except sign-ins; realPasswords gives the accounts
// whose sign-ins are measured the server's real costs.
func provision(ctx context.Context, dsn, jwt string, b batch, workers int) ([]*account, error) {
	srv, err := server.Open(ctx, server.Options{
		DSN: dsn, JWTSecret: jwt,
		Now:             func() time.Time { return time.Now().Add(-enrollShift) },
		PasswordHashing: auth.LightParams, BackupCodeHashing: b.backup,
	})
	if err != nil {
		return nil, fmt.Errorf("open the provisioning server: %w", err)
	}
	defer srv.Close()
	ts := httptest.NewServer(srv.Handler())
	defer ts.Close()
	users, err := newUsers(ts.URL, workers)
	if err != nil {
		return nil, err
	}
	accts := make([]*account, b.n)
	t := newTally()
	t.drive("create", users, b.n, func(u *user, _, i int) error {
		var err error
		accts[i], err = createAccount(ctx, srv, u, fmt.Sprintf("%s-%d", b.prefix, i), b.enable)
		return err
	})
	if err := t.err("create accounts"); err != nil {
		return nil, err
	}
	return accts, nil
}

// createAccount creates one user and, when enable is set, enrolls it with
// the code of the provisioning clock's step.
func createAccount(ctx context.Context, srv *server.Server, u *user, name string, enable bool) (*account, error) {
	a := &account{Name: name, Password: "bench-" + randomText(15)}
	id, err := srv.CreateUser(ctx, a.Name, a.Password, "user")
	if err != nil {
		return nil, fmt.Errorf("create user %s: %w", name, err)
	}
	a.ID = id
	if !enable {
		return a, nil
	}
	res, err := u.Login(ctx, a.Name, a.Password)
	if err != nil {
		return nil, fmt.Errorf("sign in %s: %w", name, err)
	}
	u.tokens.Set(res.AccessToken)
	defer u.tokens.Clear()
	setup, err := u.Setup(ctx, a.Password)
	if err != nil {
		return nil, fmt.Errorf("2FA setup of %s: %w", name, err)
	}
	a.Secret, a.Codes = setup.Secret, setup.BackupCodes
	if _, err := u.VerifySetup(ctx, a.codeAt(auth.Step(time.Now().Add(-enrollShift)))); err != nil {
		return nil, fmt.Errorf("2FA verify-setup of %s: %w", name, err)
	}
	return a, nil
}

// realPasswords gives accts one new password hashed once with the server's
// real costs (auth.PasswordParams) and returns its hash: each sign-in then
// costs the server exactly what a real account's does, without the harness
// deriving a key per account.
func realPasswords(ctx context.Context, dsn string, accts []*account) (string, error) {
	password := "bench-" + randomText(15)
	hash, err := auth.Hash(password, auth.PasswordParams)
	if err != nil {
		return "", err
	}
	st, err := store.Open(ctx, dsn)
	if err != nil {
		return "", err
	}
	defer st.Close()
	for _, a := range accts {
		if err := st.Users.SetPassword(ctx, st.DB(), a.ID, hash); err != nil {
			return "", fmt.Errorf("set the password of %s: %w", a.Name, err)
		}
		a.Password = password
	}
	return hash, nil
}

// randomText returns n random URL-safe base64 characters.
func randomText(n int) string {
	b := make([]byte, n*3/4+1)
	if _, err := rand.Read(b); err != nil {
		panic(err) // crypto/rand does not fail on Linux
	}
	return base64.RawURLEncoding.EncodeToString(b)[:n]
}
