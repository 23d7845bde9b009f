package main

import (
	"context"
	"fmt"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime/pprof"

	"github.com/twofa/twofa/server"
	"github.com/twofa/twofa/server/auth"
)

// writeProfiles repeats the validate and sign-in bursts against an
// in-process server (server.Open behind httptest on loopback) under the CPU
// profiler, so the causes of a missed server figure can be read with
// `go tool pprof`. The figures themselves always come from the subprocess.
func writeProfiles(ctx context.Context, cfg config, dir string) error {
	tmp, err := os.MkdirTemp("", "twofa-bench-prof-")
	if err != nil {
		return fmt.Errorf("make temp dir: %w", err)
	}
	defer os.RemoveAll(tmp)
	dsn := "sqlite:" + filepath.Join(tmp, "prof.db")
	jwt := newJWTSecret()
	light := auth.LightParams
	vAccts, err := createAccounts(ctx, dsn, jwt, "v", (cfg.Validations+2)/3, true, hashing{light, light}, 4)
	if err != nil {
		return err
	}
	lAccts, err := createAccounts(ctx, dsn, jwt, "l", 4, false, hashing{}, 2)
	if err != nil {
		return err
	}
	srv, err := server.Open(ctx, server.Options{DSN: dsn, JWTSecret: jwt})
	if err != nil {
		return fmt.Errorf("open server in-process: %w", err)
	}
	defer srv.Close()
	hs := httptest.NewServer(srv.Handler())
	defer hs.Close()
	a := newAPI(hs.URL, cfg.Clients)

	tokens, err := issuePending(ctx, a, vAccts, 3, cfg.Clients)
	if err != nil {
		return err
	}
	if err := profiled(filepath.Join(dir, "validate.prof"), func() error {
		_, err := validateBurst(ctx, a, vAccts, tokens, cfg.Clients)
		return err
	}); err != nil {
		return err
	}
	return profiled(filepath.Join(dir, "login.prof"), func() error {
		_, err := loginBurst(ctx, a, lAccts, cfg.Clients, cfg.Clients)
		return err
	})
}

// profiled runs fn under the CPU profiler, writing the profile to path.
func profiled(path string, fn func() error) error {
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("create profile: %w", err)
	}
	defer f.Close()
	if err := pprof.StartCPUProfile(f); err != nil {
		return fmt.Errorf("start CPU profile: %w", err)
	}
	err = fn()
	pprof.StopCPUProfile()
	if err != nil {
		return err
	}
	logf("wrote %s (go tool pprof -top %s)", path, path)
	return nil
}
