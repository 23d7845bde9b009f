package auth

import (
	"crypto/rand"
	"fmt"
	"math/big"

	"github.com/twofa/twofa/internal/codes"
)

// BackupCodeCount is how many codes one set holds.
const BackupCodeCount = 10

// NewBackupCodes returns n distinct normalized backup codes of
// codes.BackupLen characters from codes.BackupAlphabet (50 bits each).
func NewBackupCodes(n int) ([]string, error) {
	out := make([]string, 0, n)
	seen := make(map[string]bool, n)
	max := big.NewInt(int64(len(codes.BackupAlphabet)))
	for len(out) < n {
		b := make([]byte, codes.BackupLen)
		for i := range b {
			v, err := rand.Int(rand.Reader, max)
			if err != nil {
				return nil, fmt.Errorf("read random backup code: %w", err)
			}
			b[i] = codes.BackupAlphabet[v.Int64()]
		}
		if c := string(b); !seen[c] {
			seen[c] = true
			out = append(out, c)
		}
	}
	return out, nil
}
