package main

import (
	"context"
	"fmt"
	"path/filepath"
	"runtime"
	"time"

	"github.com/twofa/twofa/server/auth"
	"github.com/twofa/twofa/server/store"
)

// serverFigures are the names benchServer reports, in order.
var serverFigures = []string{
	"server_idle_rss_mb", "http_floor_per_s", "validate_per_s", "validate_p99_ms", "server_peak_rss_mb", "lockout_evaluated_in_burst",
	"login_per_s", "argon2id_hash_ms", "login_vs_kdf_limit", "server_peak_rss_login_mb",
	"db_floor_per_s", "validate_vs_db_floor",
}

// backupFigures are the names of the backup-code comparison (SQLite run only).
var backupFigures = []string{
	"backup_check_speedup_vs_bcrypt_scan", "backup_wrong_check_cpu_ms", "backup_right_check_cpu_ms", "bcrypt_scan_cpu_ms",
}

// benchServer measures `twofa serve` on one database kind ("sqlite" or
// "postgres"): sign-ins, validations, the lockout burst, peak RSS, the
// database floor and, on SQLite, the backup-code check costs.
func benchServer(ctx context.Context, cfg config, bins binaries, tmp, db string) []Figure {
	names := serverFigures
	if db == "sqlite" {
		names = append(append([]string(nil), serverFigures...), backupFigures...)
	}
	var dsn string
	switch db {
	case "sqlite":
		dsn = "sqlite:" + filepath.Join(tmp, "bench.db")
	case "postgres":
		d, drop, err := freshPostgres(ctx, cfg.PostgresDSN)
		if err != nil {
			return figErr(err, db, names...)
		}
		defer drop()
		dsn = d
	}
	figs, err := measureServer(ctx, cfg, bins, tmp, db, dsn)
	if err != nil {
		logf("%s: %v", db, err)
		// Keep what was measured; mark the rest.
		have := map[string]bool{}
		for _, f := range figs {
			have[f.Name] = true
		}
		for _, n := range names {
			if !have[suffixed(n, db)] {
				figs = append(figs, figErr(err, db, n)...)
			}
		}
	}
	return figs
}

// measureServer does the work of benchServer, returning figures as it goes.
func measureServer(ctx context.Context, cfg config, bins binaries, tmp, db, dsn string) ([]Figure, error) {
	var figs []Figure
	jwt := newJWTSecret()
	light := auth.LightParams
	workers := runtime.NumCPU()

	// Accounts, created in-process before the server starts. Validation
	// accounts get cheap hashes: validating a TOTP touches neither the
	// password hash nor the backup-code hashes, and cheap passwords let the
	// harness pre-issue thousands of pending sign-ins. Sign-in accounts and
	// backup-code accounts keep the server's real costs where they are measured.
	nValidate := (cfg.Validations + 2) / 3
	logf("%s: creating %d validation accounts", db, nValidate)
	vAccts, err := createAccounts(ctx, dsn, jwt, "v", nValidate, true, hashing{light, light}, workers*2)
	if err != nil {
		return figs, err
	}
	logf("%s: creating sign-in, lockout and backup-code accounts (real argon2id costs)", db)
	lAccts, err := createAccounts(ctx, dsn, jwt, "l", 4, false, hashing{}, workers)
	if err != nil {
		return figs, err
	}
	lockAccts, err := createAccounts(ctx, dsn, jwt, "lock", 1, true, hashing{light, light}, 1)
	if err != nil {
		return figs, err
	}
	var bAccts []*account
	if db == "sqlite" {
		if bAccts, err = createAccounts(ctx, dsn, jwt, "b", cfg.BackupAccounts, true, hashing{Password: light}, workers); err != nil {
			return figs, err
		}
	}

	srv, err := startServer(bins.Twofa, dsn, jwt, tmp)
	if err != nil {
		return figs, err
	}
	defer srv.Stop()
	pid := srv.Pid()
	idleRSS, err := rssMB(pid)
	if err != nil {
		return figs, err
	}
	figs = append(figs, fig("server_idle_rss_mb", db, idleRSS, "VmRSS of twofa serve once it answers /api/health, before any load"))
	a := newAPI(srv.URL, cfg.Clients)

	// 5 and 8. Validations first, on a fresh server, with peak RSS over the
	// burst only (reset after the pending sign-ins were issued).
	logf("%s: issuing %d pending sign-ins", db, nValidate*3)
	tokens, err := issuePending(ctx, a, vAccts, 3, cfg.Clients)
	if err != nil {
		return figs, err
	}
	hr, err := healthBurst(ctx, a, cfg.Validations, cfg.Clients)
	if err != nil {
		return figs, err
	}
	figs = append(figs, fig("http_floor_per_s", db, hr, fmt.Sprintf("context: %d GET /api/health (no database) from the same %d clients — what HTTP alone allows on this machine", cfg.Validations, cfg.Clients)))
	if cur, err := rssMB(pid); err == nil {
		logf("%s: server RSS %.1f MiB after issuing them", db, cur)
	}
	if err := resetPeakRSS(pid); err != nil {
		return figs, err
	}
	logf("%s: validating at %d concurrent clients", db, cfg.Clients)
	vr, err := validateBurst(ctx, a, vAccts, tokens, cfg.Clients)
	if err != nil {
		return figs, err
	}
	serverRSS, err := peakRSSMB(pid)
	if err != nil {
		return figs, err
	}
	figs = append(figs,
		fig("validate_per_s", db, vr.PerSec, fmt.Sprintf("%d TOTP validations over pre-issued pending sign-ins, %d concurrent clients (p50 %.1f ms)", vr.Completed, cfg.Clients, vr.P50)),
		fig("validate_p99_ms", db, vr.P99, "99th percentile latency of those validations"),
		fig("server_peak_rss_mb", db, serverRSS, "VmHWM of twofa serve over the validate burst (reset just before it)"),
	)

	// 7. Lockout burst.
	lockPending, err := issuePending(ctx, a, lockAccts, 1, 1)
	if err != nil {
		return figs, err
	}
	evaluated, locked, err := lockoutBurst(ctx, a, lockAccts[0], lockPending[0][0], cfg.Burst)
	if err != nil {
		return figs, err
	}
	figs = append(figs, fig("lockout_evaluated_in_burst", db, float64(evaluated),
		fmt.Sprintf("%d concurrent wrong codes at one account: %d answered invalid_code, %d locked_out", cfg.Burst, evaluated, locked)))

	// 4. Backup-code checks (SQLite only: the costs are the server's, not the database's).
	if db == "sqlite" {
		logf("%s: timing wrong and right backup codes", db)
		bc, err := measureBackupChecks(ctx, a, pid, bAccts, cfg.BackupRounds)
		if err != nil {
			return figs, err
		}
		logf("timing the bcrypt scan (cost 12 × %d codes)", coPilotBackupCodes)
		scan, err := bcryptScanCPU(cfg.BcryptScans)
		if err != nil {
			return figs, err
		}
		figs = append(figs,
			fig("backup_check_speedup_vs_bcrypt_scan", "", float64(scan)/float64(bc.Wrong), "bcrypt_scan_cpu_ms ÷ backup_wrong_check_cpu_ms"),
			fig("backup_wrong_check_cpu_ms", "", float64(bc.Wrong)/float64(time.Millisecond), fmt.Sprintf("server CPU (/proc utime+stime) per wrong code over %d sequential /2fa/validate requests, HTTP included", bc.WrongN)),
			fig("backup_right_check_cpu_ms", "", float64(bc.Right)/float64(time.Millisecond), fmt.Sprintf("server CPU per right code over %d requests: one argon2id, the spend and a new session", bc.RightN)),
			fig("bcrypt_scan_cpu_ms", "", float64(scan)/float64(time.Millisecond), fmt.Sprintf("CoPilot's check: bcrypt cost 12 against %d stored codes, CPU in the harness, %d scans", coPilotBackupCodes, cfg.BcryptScans)),
		)
	}

	// 6. Sign-ins against the KDF limit, last: each holds a 64 MiB argon2id
	// buffer, so this burst's peak would mask the others, and a server that
	// thrashes here must not take the other figures with it.
	st, err := store.Open(ctx, dsn)
	if err != nil {
		return figs, err
	}
	params, err := storedPasswordParams(ctx, st, lAccts[0].Name)
	st.Close()
	if err != nil {
		return figs, err
	}
	hashCPU, hashWall, err := kdfCost(params, cfg.KDFHashes)
	if err != nil {
		return figs, err
	}
	// The issue's limit is cores ÷ one hash's time. With p=2 one hash runs
	// two lanes in parallel, so its time in core-seconds is its CPU time (its
	// wall time would count every core twice). Cross-check with what the
	// cores do flat out, one hasher per core, and hold sign-ins to the
	// higher of the two floors.
	byFormula := float64(runtime.NumCPU()) / hashCPU.Seconds()
	saturated := kdfThroughput(params, cfg.KDFHashes, runtime.NumCPU())
	limit := max(byFormula, saturated)
	if err := resetPeakRSS(pid); err != nil {
		return figs, err
	}
	logf("%s: %d sign-ins at %d concurrent clients", db, cfg.Logins, cfg.Clients)
	lb, err := loginBurst(ctx, a, lAccts, cfg.Logins, cfg.Clients)
	if err != nil {
		return figs, err
	}
	loginRate := lb.PerSec
	if lb.Failed > 0 {
		logf("%s: %d of %d sign-ins failed (first: %v); server log ends:\n%s", db, lb.Failed, cfg.Logins, lb.FirstErr, srv.logTail(5))
	}
	loginRSS, err := peakRSSMB(pid)
	if err != nil {
		return figs, err
	}
	figs = append(figs,
		fig("login_per_s", db, loginRate, fmt.Sprintf("%d password sign-ins (argon2id %s) from %d concurrent clients; %d failed, p50 %.0f ms, max %.0f ms%s", cfg.Logins, params, cfg.Clients, lb.Failed, lb.P50, lb.Max, lb.errNote())),
		fig("argon2id_hash_ms", db, float64(hashCPU)/float64(time.Millisecond), fmt.Sprintf("CPU time of one hash with the parameters read from the stored hash, timed in the harness with the server idle (median wall %.1f ms)", float64(hashWall)/float64(time.Millisecond))),
		fig("login_vs_kdf_limit", db, loginRate/limit, fmt.Sprintf("login_per_s ÷ %.1f/s, the higher of %d cores ÷ argon2id_hash_ms (%.1f/s) and %d hashes on %d goroutines in the harness (%.1f/s)", limit, runtime.NumCPU(), byFormula, cfg.KDFHashes, runtime.NumCPU(), saturated)),
		fig("server_peak_rss_login_mb", db, loginRSS, "VmHWM of twofa serve over the sign-in burst"),
	)

	// The database's own rate for the validation's conditional UPDATE, with
	// the server stopped so nothing else touches the database.
	srv.Stop()
	logf("%s: database floor, %d conditional UPDATEs at %d concurrent clients", db, cfg.FloorOps, cfg.Clients)
	floor, err := dbFloor(ctx, dsn, cfg.FloorOps, cfg.Clients)
	if err != nil {
		return figs, err
	}
	figs = append(figs,
		fig("db_floor_per_s", db, floor, fmt.Sprintf("%d × `%s` from %d goroutines, store opened as the server opens it", cfg.FloorOps, acceptStepSQL, cfg.Clients)),
		fig("validate_vs_db_floor", db, vr.PerSec/floor, "validate_per_s ÷ db_floor_per_s"),
	)
	return figs, nil
}
