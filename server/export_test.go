package server

import "github.com/twofa/twofa/server/store"

// What the tests of package server_test may see of a Server's insides.

// Store returns the server's store.
func (s *Server) Store() *store.Store { return s.store }

// BackupIndex returns the keyed index of an account's (normalized) backup code.
func (s *Server) BackupIndex(userID int64, code string) string { return s.index.Of(userID, code) }

// BackupDerivations counts the argon2id derivations of backup codes so far.
func (s *Server) BackupDerivations() int64 { return s.backupDerivations.Load() }

// DummyHash returns the hash an unknown username's password is verified against.
func (s *Server) DummyHash() string { return s.dummy }

// SetBeforeEnable makes verify-setup call f between reading the pending
// enrollment and the transaction that enables it, so a test can interleave
// another request there.
func (s *Server) SetBeforeEnable(f func()) { s.beforeEnable = f }

// Sweeps counts the background sweeps done so far.
func (s *Server) Sweeps() int64 { return s.sweeps.Load() }
