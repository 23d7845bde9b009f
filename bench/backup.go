package main

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"math/big"
	"time"

	"github.com/twofa/twofa/client"
	"github.com/twofa/twofa/internal/codes"
	"github.com/twofa/twofa/internal/wire"
)

// coPilotBackupCodes is how many backup codes CoPilot stores and bcrypt-scans
// (as many as server/auth's BenchmarkCoPilotBcryptScan scans).
const coPilotBackupCodes = 8

// backupCosts are the server's CPU costs of backup-code checks.
type backupCosts struct {
	Wrong, Right   time.Duration // per check
	WrongN, RightN int
}

// measureBackupChecks drives the server (process pid) through rounds of
// wrong and right backup codes on accts, one request at a time from one
// user, and divides the server's CPU time over each kind. Per round and
// account: four wrong codes (under the lockout limit of five), then one
// right code, which resets the count and spends the pending sign-in; the
// sign-ins happen outside the timed stretches.
func measureBackupChecks(ctx context.Context, u *user, pid int, accts []*account, rounds int) (backupCosts, error) {
	var c backupCosts
	var wrongCPU, rightCPU time.Duration
	for r := 0; r < rounds; r++ {
		pending, err := issuePending(ctx, []*user{u}, accts, 1)
		if err != nil {
			return c, err
		}
		before, err := cpuTime(pid)
		if err != nil {
			return c, err
		}
		for i, a := range accts {
			for k := 0; k < 4; k++ {
				_, err := u.ValidateBackup(ctx, pending[i][0], randomBackupCode())
				if !errors.Is(err, &client.APIError{Code: wire.InvalidCode}) {
					return c, fmt.Errorf("wrong backup code for %s answered %v, want invalid_code", a.Name, err)
				}
				c.WrongN++
			}
		}
		mid, err := cpuTime(pid)
		if err != nil {
			return c, err
		}
		for i, a := range accts {
			if len(a.Codes) == 0 {
				return c, fmt.Errorf("account %s has no unused backup code left", a.Name)
			}
			code := a.Codes[0]
			a.Codes = a.Codes[1:]
			if _, err := u.ValidateBackup(ctx, pending[i][0], code); err != nil {
				return c, fmt.Errorf("right backup code for %s: %w", a.Name, err)
			}
			c.RightN++
		}
		after, err := cpuTime(pid)
		if err != nil {
			return c, err
		}
		wrongCPU += mid - before
		rightCPU += after - mid
	}
	c.Wrong = wrongCPU / time.Duration(max(c.WrongN, 1))
	c.Right = rightCPU / time.Duration(max(c.RightN, 1))
	return c, nil
}

// randomBackupCode returns a well-formed code (right length and alphabet)
// that is almost surely nobody's: 50 random bits.
func randomBackupCode() string {
	b := make([]byte, codes.BackupLen)
	n := big.NewInt(int64(len(codes.BackupAlphabet)))
	for i := range b {
		v, err := rand.Int(rand.Reader, n)
		if err != nil {
			panic(err) // crypto/rand does not fail on Linux
		}
		b[i] = codes.BackupAlphabet[v.Int64()]
	}
	return codes.FormatBackup(string(b))
}
