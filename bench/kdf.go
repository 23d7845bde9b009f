package main

import (
	"context"
	"crypto/rand"
	"fmt"
	"runtime"
	"strings"
	"time"

	"github.com/twofa/twofa/server/store"
	"golang.org/x/crypto/argon2"
)

// argonParams are argon2id costs as a PHC string records them.
type argonParams struct {
	Memory, Time uint32
	Threads      uint8
	KeyLen       int
}

// storedPasswordParams reads the argon2id costs of username's stored
// password hash, so the harness times exactly what the server verifies.
func storedPasswordParams(ctx context.Context, st *store.Store, username string) (argonParams, error) {
	var enc string
	if err := st.DB().QueryRowContext(ctx, "SELECT password_hash FROM users WHERE username = $1", username).Scan(&enc); err != nil {
		return argonParams{}, fmt.Errorf("read password hash of %s: %w", username, err)
	}
	parts := strings.Split(enc, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return argonParams{}, fmt.Errorf("password hash of %s is not an argon2id PHC string", username)
	}
	var p argonParams
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &p.Memory, &p.Time, &p.Threads); err != nil {
		return argonParams{}, fmt.Errorf("parse argon2id parameters: %w", err)
	}
	p.KeyLen = len(parts[5]) * 6 / 8 // unpadded base64
	return p, nil
}

// String renders the parameters like the PHC string does.
func (p argonParams) String() string {
	return fmt.Sprintf("m=%d KiB, t=%d, p=%d", p.Memory, p.Time, p.Threads)
}

// kdfCost times n sequential argon2id hashes with p in this process and
// returns the CPU time and the wall time of one.
func kdfCost(p argonParams, n int) (cpu, wall time.Duration, err error) {
	salt := make([]byte, 16)
	if _, err := rand.Read(salt); err != nil {
		return 0, 0, fmt.Errorf("read salt: %w", err)
	}
	runtime.GC()
	before, err := selfCPU()
	if err != nil {
		return 0, 0, err
	}
	start := time.Now()
	for i := 0; i < n; i++ {
		_ = argon2.IDKey([]byte("correct horse battery staple"), salt, p.Time, p.Memory, p.Threads, uint32(p.KeyLen))
	}
	wall = time.Since(start) / time.Duration(n)
	after, err := selfCPU()
	if err != nil {
		return 0, 0, err
	}
	return (after - before) / time.Duration(n), wall, nil
}
