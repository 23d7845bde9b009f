package server

import (
	"context"

	"github.com/twofa/twofa/internal/codes"
	"github.com/twofa/twofa/server/auth"
	"github.com/twofa/twofa/server/store"
)

// newBackupSet makes a fresh set of backup codes for an account: the codes
// to show once (XXXXX-XXXXX) and the index and salted hash of each to store.
func (s *Server) newBackupSet(ctx context.Context, userID int64) ([]string, []store.NewBackupCode, error) {
	plain, err := auth.NewBackupCodes(auth.BackupCodeCount)
	if err != nil {
		return nil, nil, err
	}
	shown := make([]string, len(plain))
	rows := make([]store.NewBackupCode, len(plain))
	for i, c := range plain {
		h, err := auth.HashContext(ctx, c, s.opts.BackupCodeHashing)
		if err != nil {
			return nil, nil, err
		}
		rows[i] = store.NewBackupCode{Index: s.index.Of(userID, c), Hash: h}
		shown[i] = codes.FormatBackup(c)
	}
	return shown, rows, nil
}
