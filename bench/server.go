package main

import (
	"context"
	"fmt"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"github.com/twofa/twofa/client"
	"github.com/twofa/twofa/server/auth"
)

// serverRun is the measurement of one server process on one database.
type serverRun struct {
	cfg  config
	db   string // "sqlite" or "postgres"
	dsn  string
	jwt  string
	bins binaries
	srv  *proc
	figs []Figure
}

// add appends a measured figure; note is a format for args.
func (r *serverRun) add(name string, value float64, note string, args ...any) {
	r.figs = append(r.figs, fig(name, r.db, value, note, args...))
}

// benchServer measures the server build (twofa with the benchfloor route) on
// one database kind; figures it could not measure carry the error.
func benchServer(ctx context.Context, cfg config, bins binaries, tmp, db string) []Figure {
	r := &serverRun{cfg: cfg, db: db, dsn: "sqlite:" + filepath.Join(tmp, "bench.db"), jwt: randomText(48), bins: bins}
	var err error
	if db == "postgres" {
		var drop func()
		if r.dsn, drop, err = freshPostgres(ctx, cfg.PostgresDSN); err == nil {
			defer drop()
		}
	}
	if err == nil {
		err = r.measure(ctx, tmp)
	}
	if r.srv != nil {
		r.srv.Stop()
	}
	figs := serverGroup.done(db, r.figs, err)
	if db == "sqlite" {
		figs = backupGroup.done(db, figs, err)
	}
	return figs
}

// measure creates the accounts, starts the server and takes every figure.
func (r *serverRun) measure(ctx context.Context, tmp string) error {
	light := auth.LightParams
	workers := 2 * runtime.NumCPU()
	logf("%s: creating accounts", r.db)
	vAccts, err := provision(ctx, r.dsn, r.jwt, batch{"v", (r.cfg.Validations + 2) / 3, true, light}, workers)
	if err != nil {
		return err
	}
	floorAccts, err := provision(ctx, r.dsn, r.jwt, batch{"floor", r.cfg.Clients, false, light}, workers)
	if err != nil {
		return err
	}
	lockAccts, err := provision(ctx, r.dsn, r.jwt, batch{"lock", 1, true, light}, 1)
	if err != nil {
		return err
	}
	lAccts, err := provision(ctx, r.dsn, r.jwt, batch{"l", 4, false, light}, 1)
	if err != nil {
		return err
	}
	hash, err := realPasswords(ctx, r.dsn, lAccts)
	if err != nil {
		return err
	}
	var bAccts []*account
	if r.db == "sqlite" {
		// The server's real backup-code costs: the right code's check is measured.
		if bAccts, err = provision(ctx, r.dsn, r.jwt, batch{"b", r.cfg.BackupAccounts, true, auth.Params{}}, workers); err != nil {
			return err
		}
	}
	if r.srv, err = startServer(r.bins.Server, r.dsn, r.jwt, tmp); err != nil {
		return err
	}
	idle, err := rssMB(r.srv.Pid())
	if err != nil {
		return err
	}
	r.add("server_idle_rss_mb", idle, "VmRSS of twofa serve once it answers /api/health, before any load")
	if err := r.validate(ctx, vAccts, ids(floorAccts)); err != nil {
		return err
	}
	if err := r.lockout(ctx, lockAccts[0]); err != nil {
		return err
	}
	if r.db == "sqlite" {
		if err := r.backup(ctx, bAccts); err != nil {
			return err
		}
	}
	// Sign-ins last: each holds a 64 MiB argon2id buffer, so this burst's
	// peak would mask the others.
	return r.login(ctx, lAccts, hash)
}

// ids returns the accounts' user ids.
func ids(accts []*account) []int64 {
	out := make([]int64, len(accts))
	for i, a := range accts {
		out[i] = a.ID
	}
	return out
}

// validate measures validations in rounds, in turns with slices of the HTTP
// floor, then the database floor (server/store's BenchmarkAcceptStep), with
// the server's peak RSS over the rounds.
func (r *serverRun) validate(ctx context.Context, accts []*account, floorIDs []int64) error {
	users, err := newUsers(r.srv.URL(), r.cfg.Clients)
	if err != nil {
		return err
	}
	floorUsers, err := newUsers(r.srv.URL()+"/floor", r.cfg.Clients)
	if err != nil {
		return err
	}
	logf("%s: issuing %d pending sign-ins", r.db, len(accts)*3)
	tokens, err := issuePending(ctx, users, accts, 3)
	if err != nil {
		return err
	}
	health, err := healthBurst(ctx, users, r.cfg.Validations)
	if err != nil {
		return err
	}
	if err := resetPeakRSS(r.srv.Pid()); err != nil {
		return err
	}
	logf("%s: validating at %d concurrent clients, in turns with the HTTP floor", r.db, r.cfg.Clients)
	in, err := interleave(ctx, users, floorUsers, accts, floorIDs, tokens, r.cfg.FloorOps)
	if err != nil {
		return err
	}
	peak, err := peakRSSMB(r.srv.Pid())
	if err != nil {
		return err
	}
	dbf, err := dbFloorRate(ctx, r.bins.StoreBench, r.db, r.dsn, r.cfg.FloorOps, r.cfg.Clients)
	if err != nil {
		return err
	}
	t := in.Tally
	lat := t.ok()
	if len(lat) == 0 {
		return fmt.Errorf("every validation failed; first: %w", t.first)
	}
	v, httpFloor := in.Validate.perSecond(), in.Floor.perSecond()
	r.add("health_per_s", health, "context: %d GET /api/health (no database) from the same %d clients", r.cfg.Validations, r.cfg.Clients)
	r.add("http_floor_per_s", httpFloor, "requests of validate's shape answered by one conditional UPDATE in the same server process (route /floor/…, benchfloor build), %d in %d slices before, between and after the validation rounds; the rate while every client had a request to send", in.FloorSent, len(in.Ratios)+1)
	r.add("validate_per_s", v, "%d TOTP validations over pending sign-ins issued before by the same server (so each completes in one statement), %d clients, in %d rounds between the floor slices (p50 %.1f ms); %d codes refused as the step moved and sent again", len(lat), r.cfg.Clients, len(in.Ratios), percentile(lat, 50), t.refused)
	r.add("validate_p99_ms", percentile(lat, 99), "99th percentile latency of those validations")
	r.add("validate_errors", float64(t.failed), "validations that failed for any reason but a refused code, which is resent%s", t.failures())
	r.add("validate_vs_http_floor", v/httpFloor, "validate_per_s ÷ http_floor_per_s; round by round against the slices either side: %s", ratios(in.Ratios))
	r.add("db_floor_per_s", dbf, "%d × the store's AcceptStep (one conditional UPDATE) from %d goroutines in the harness, store opened as the server opens it, right after the burst", r.cfg.FloorOps, r.cfg.Clients)
	r.add("validate_vs_db_floor", v/dbf, "validate_per_s ÷ db_floor_per_s")
	r.add("server_peak_rss_mb", peak, "VmHWM of twofa serve over the validation rounds and the floor slices between them (reset just before)")
	return nil
}

// lockout fires the concurrent wrong-code burst at one pending sign-in.
func (r *serverRun) lockout(ctx context.Context, a *account) error {
	users, err := newUsers(r.srv.URL(), 1)
	if err != nil {
		return err
	}
	pending, err := issuePending(ctx, users, []*account{a}, 1)
	if err != nil {
		return err
	}
	evaluated, locked, err := lockoutBurst(ctx, r.srv.URL(), a, pending[0][0], r.cfg.Burst)
	if err != nil {
		return err
	}
	r.add("lockout_evaluated_in_burst", float64(evaluated), "%d concurrent wrong codes at one pending sign-in: %d answered invalid_code, %d locked_out", r.cfg.Burst, evaluated, locked)
	return nil
}

// backup times wrong and right backup codes on the server against
// CoPilot's bcrypt scan, timed by its benchmark in server/auth.
func (r *serverRun) backup(ctx context.Context, accts []*account) error {
	users, err := newUsers(r.srv.URL(), 1)
	if err != nil {
		return err
	}
	logf("%s: timing wrong and right backup codes", r.db)
	bc, err := measureBackupChecks(ctx, users[0], r.srv.Pid(), accts, r.cfg.BackupRounds)
	if err != nil {
		return err
	}
	scan, err := bcryptScanCost(ctx, r.bins.AuthBench, r.cfg.BcryptScans)
	if err != nil {
		return err
	}
	r.add("backup_check_speedup_vs_bcrypt_scan", float64(scan)/float64(bc.Wrong), "bcrypt_scan_cpu_ms ÷ backup_wrong_check_cpu_ms")
	r.add("backup_wrong_check_cpu_ms", msOf(bc.Wrong), "server CPU (/proc utime+stime) per wrong code over %d sequential /2fa/validate requests, HTTP included", bc.WrongN)
	r.add("backup_right_check_cpu_ms", msOf(bc.Right), "server CPU per right code over %d requests: one argon2id, the spend and a new session", bc.RightN)
	r.add("bcrypt_scan_cpu_ms", msOf(scan), "CoPilot's check: bcrypt cost 12 against %d stored codes, CPU in the harness, %d scans", coPilotBackupCodes, r.cfg.BcryptScans)
	return nil
}

// login runs the sign-in burst in rounds with the KDF floor measured
// around each.
func (r *serverRun) login(ctx context.Context, accts []*account, hash string) error {
	users, err := newUsers(r.srv.URL(), r.cfg.Clients)
	if err != nil {
		return err
	}
	logf("%s: %d sign-ins at %d concurrent clients in %d rounds, the KDF floor around each", r.db, r.cfg.Logins, r.cfg.Clients, r.cfg.LoginRounds)
	// Untimed first: the server's first derivations fault in their memory,
	// as the harness's do before its first window.
	warm := newTally()
	loginBurst(ctx, warm, users, accts, 2*runtime.NumCPU())
	if warm.failed > 0 {
		return fmt.Errorf("warm-up sign-ins: %w", warm.first)
	}
	if err := resetPeakRSS(r.srv.Pid()); err != nil {
		return err
	}
	t := newTally()
	var elapsed time.Duration
	var rounds []float64
	per := r.cfg.Logins / r.cfg.LoginRounds
	limit, windows, err := interleaveKDF(hash, accts[0].Password, r.cfg.KDFWindow, r.cfg.LoginRounds, func(int) {
		d := loginBurst(ctx, t, users, accts, per)
		elapsed += d
		rounds = append(rounds, rate(per, d))
	})
	if err != nil {
		return err
	}
	peak, err := peakRSSMB(r.srv.Pid())
	if err != nil {
		return err
	}
	lat := t.ok()
	if len(lat) == 0 {
		return fmt.Errorf("every sign-in failed; first: %w", t.first)
	}
	if t.failed > 0 {
		logf("%s: %d sign-ins failed; server log ends:\n%s", r.db, t.failed, r.srv.logTail(5))
	}
	login := rate(len(lat), elapsed)
	p := auth.PasswordParams
	r.add("kdf_limit_per_s", limit, "saturated hashing: the stored hash (argon2id m=%d KiB, t=%d, p=%d) verified with auth.Verify from %d goroutines in the harness, in %d windows of %s around the sign-in rounds (%s/s)", p.Memory, p.Time, p.Threads, 2*runtime.GOMAXPROCS(0), len(windows), r.cfg.KDFWindow, joinNums(windows))
	r.add("login_per_s", login, "%d successful password sign-ins from %d clients in %d rounds (%s/s), p50 %.0f ms, max %.0f ms", len(lat), r.cfg.Clients, len(rounds), joinNums(rounds), percentile(lat, 50), percentile(lat, 100))
	r.add("login_errors", float64(t.failed), "sign-ins of the rounds that failed (a client gives up after %s)%s", client.RequestTimeout, t.failures())
	r.add("login_vs_kdf_limit", login/limit, "login_per_s ÷ kdf_limit_per_s")
	r.add("server_peak_rss_login_mb", peak, "VmHWM of twofa serve over the sign-in rounds (reset just before them)")
	return nil
}

// joinNums writes values as "5.8, 12.2".
func joinNums(vs []float64) string {
	s := make([]string, len(vs))
	for i, v := range vs {
		s[i] = num(v)
	}
	return strings.Join(s, ", ")
}

// msOf converts a duration to milliseconds.
func msOf(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
