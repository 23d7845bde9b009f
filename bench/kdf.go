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

// kdfThroughput runs n argon2id hashes with p on workers goroutines at once
// and returns hashes per second: what this machine's cores can do at most.
func kdfThroughput(p argonParams, n, workers int) float64 {
	salt := []byte("0123456789abcdef")
	runtime.GC()
	jobs := make(chan struct{}, n)
	for i := 0; i < n; i++ {
		jobs <- struct{}{}
	}
	close(jobs)
	start := time.Now()
	_ = parallel(workers, func(int) error {
		for range jobs {
			_ = argon2.IDKey([]byte("correct horse battery staple"), salt, p.Time, p.Memory, p.Threads, uint32(p.KeyLen))
		}
		return nil
	})
	return float64(n) / time.Since(start).Seconds()
}

// kdfCost times n sequential argon2id hashes with p in this process and
// returns the mean CPU time and the median wall time of one.
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
	walls := make([]time.Duration, n)
	for i := 0; i < n; i++ {
		t0 := time.Now()
		_ = argon2.IDKey([]byte("correct horse battery staple"), salt, p.Time, p.Memory, p.Threads, uint32(p.KeyLen))
		walls[i] = time.Since(t0)
	}
	after, err := selfCPU()
	if err != nil {
		return 0, 0, err
	}
	wall = time.Duration(median(ms(walls)) * float64(time.Millisecond))
	return (after - before) / time.Duration(n), wall, nil
}
