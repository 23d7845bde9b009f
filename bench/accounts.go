package main

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/twofa/twofa/server"
	"github.com/twofa/twofa/server/auth"
)

// enrollShift moves the in-process server's clock back when accounts enroll,
// so the enrollment code spends a step long past and each account can later
// pass three validations (steps T-1, T, T+1) against the real clock.
const enrollShift = 10 * time.Minute

// account is a user the harness created, with what it needs to sign in.
type account struct {
	Name, Password string
	Secret         string   // base32 TOTP secret; "" without 2FA
	Codes          []string // unused backup codes
	key            []byte
}

// hashing picks argon2id costs for the accounts of one batch.
type hashing struct {
	Password, Backup auth.Params // zero = the server's defaults
}

// createAccounts opens the database in-process (server.Open), creates n users
// named prefix-i and, when enable is set, turns 2FA on for each through the
// handler, with the clock enrollShift in the past. workers bounds concurrency.
func createAccounts(ctx context.Context, dsn, jwt, prefix string, n int, enable bool, h hashing, workers int) ([]*account, error) {
	srv, err := server.Open(ctx, server.Options{
		DSN:               dsn,
		JWTSecret:         jwt,
		Now:               func() time.Time { return time.Now().Add(-enrollShift) },
		PasswordHashing:   h.Password,
		BackupCodeHashing: h.Backup,
	})
	if err != nil {
		return nil, fmt.Errorf("open server in-process: %w", err)
	}
	defer srv.Close()
	a := newInProcessAPI(srv.Handler())
	accts := make([]*account, n)
	jobs := make(chan int)
	errs := make(chan error, workers)
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				acct, err := createAccount(ctx, srv, a, fmt.Sprintf("%s-%d", prefix, i), enable)
				if err != nil {
					errs <- err
					for range jobs {
					}
					return
				}
				accts[i] = acct
			}
		}()
	}
	for i := 0; i < n; i++ {
		jobs <- i
	}
	close(jobs)
	wg.Wait()
	close(errs)
	if err := <-errs; err != nil {
		return nil, err
	}
	return accts, nil
}

// createAccount creates one user and, when enable is set, enrolls it.
func createAccount(ctx context.Context, srv *server.Server, a *api, name string, enable bool) (*account, error) {
	acct := &account{Name: name, Password: "bench-" + newJWTSecret()[:20]}
	if _, err := srv.CreateUser(ctx, acct.Name, acct.Password, "user"); err != nil {
		return nil, fmt.Errorf("create user %s: %w", name, err)
	}
	if !enable {
		return acct, nil
	}
	session, pending, err := a.login(ctx, acct.Name, acct.Password)
	if err != nil {
		return nil, err
	}
	if pending {
		return nil, fmt.Errorf("new user %s already asks for a second factor", name)
	}
	secret, codes, err := a.setup(ctx, session, acct.Password)
	if err != nil {
		return nil, err
	}
	if acct.key, err = decodeSecret(secret); err != nil {
		return nil, err
	}
	acct.Secret, acct.Codes = secret, codes
	if err := a.verifySetup(ctx, session, hotp(acct.key, stepAt(time.Now().Add(-enrollShift)))); err != nil {
		return nil, err
	}
	return acct, nil
}

// codeAt returns the account's TOTP code for step.
func (a *account) codeAt(step uint64) string { return hotp(a.key, step) }
