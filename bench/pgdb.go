package main

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"os"
	"time"
)

// freshPostgres creates an empty database beside the one baseDSN names and
// returns its DSN and a function that drops it.
func freshPostgres(ctx context.Context, baseDSN string) (string, func(), error) {
	u, err := url.Parse(baseDSN)
	if err != nil {
		return "", nil, fmt.Errorf("parse TWOFA_TEST_POSTGRES_DSN: %w", err)
	}
	admin, err := sql.Open("pgx", baseDSN)
	if err != nil {
		return "", nil, fmt.Errorf("open Postgres: %w", err)
	}
	name := fmt.Sprintf("twofa_bench_%d_%d", os.Getpid(), time.Now().Unix())
	if _, err := admin.ExecContext(ctx, "CREATE DATABASE "+name); err != nil {
		admin.Close()
		return "", nil, fmt.Errorf("create database %s: %w", name, err)
	}
	u.Path = "/" + name
	drop := func() {
		_, _ = admin.ExecContext(context.Background(), "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)")
		admin.Close()
	}
	return u.String(), drop, nil
}
