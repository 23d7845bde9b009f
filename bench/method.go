package main

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/twofa/twofa/server"
)

// methodText explains in RESULTS.md how each figure is measured, with the
// run's sizes filled in.
func methodText(cfg config) string {
	return strings.NewReplacer(
		"{clients}", strconv.Itoa(cfg.Clients),
		"{burst}", strconv.Itoa(cfg.Burst),
		"{loginRounds}", strconv.Itoa(cfg.LoginRounds),
		"{kdfWindow}", durText(cfg.KDFWindow),
		"{soakAccounts}", strconv.Itoa(cfg.SoakAccounts),
		"{statusReads}", strconv.Itoa(statusReads),
		"{shift}", durText(enrollShift),
		"{pendingTTL}", durText(server.PendingTTL),
		"{quiet}", durText(drawnQuiet),
		"{keyQuiet}", durText(keyQuiet),
	).Replace(methodTemplate)
}

// durText writes a duration for prose: "10 minutes", "150 ms".
func durText(d time.Duration) string {
	switch {
	case d >= time.Minute && d%time.Minute == 0:
		return fmt.Sprintf("%d minutes", d/time.Minute)
	case d < 10*time.Second && d%time.Second != 0:
		return fmt.Sprintf("%d ms", d/time.Millisecond)
	}
	return d.String()
}

// methodTemplate is methodText before the sizes are filled in.
const methodTemplate = `## How each figure is measured

Everything runs on 127.0.0.1 with bounded counts. ` + "`go run ./bench`" + ` first builds
three programs with ` + "`go build`" + ` into a temp dir, so no figure includes compile
time: ` + "`twofa`" + ` as released, ` + "`twofa`" + ` with the ` + "`benchfloor`" + ` build tag (below), and
` + "`bench/baseline`" + `. ` + "`--quick`" + ` runs fewer repetitions of the same figures. Every
request the harness sends goes through the real client package
(github.com/twofa/twofa/client), one ` + "`client.Client`" + ` per simulated person, as one
twofa process has; TOTP codes come from pquerna/otp, as an authenticator
app computes them.

**Terminal UI.** Each program runs in its own 80x24 pseudo-terminal
(internal/harness/vtterm: creack/pty and a vt10x screen, answering the
colour and cursor queries a terminal answers). Every run gets a fresh HOME
and XDG directories, so no remembered user or saved session shortens it.
*First frame*: from just before the fork to the last byte written before the
screen held its texts ("Sign in", "Username", "Password" for twofa; the one
line for the baseline, a bare Bubble Tea v1 program on the alternate screen)
and stayed quiet for {quiet}; twofa and the baseline run in turn, and the
ratio is of the medians. *Package init* (diagnostic): each binary runs
without a terminal under GODEBUG=inittrace=1 (` + "`twofa version`" + `; the baseline
until it finds no terminal), and the figure is when the last package
initialiser ended. It measures the released binary itself, which is why the
hand-wired TUI-only build the harness once had is gone: the composition
root (internal/app) links the server, so a build using the app's own wiring
would link the same packages and tell nothing, and one wired by hand
measured a program nobody runs. *Sign-in and enable flow*: twofa signs in
against a ` + "`twofa serve`" + ` on SQLite, the password typed one character at a time,
then the Security tab, ` + "`e`" + `, the password again, the QR, ` + "`k`" + ` (the secret is read
off the screen), the code typed digit by digit, the backup codes, the
confirmation, 2FA on. *Bytes per keystroke*: for each key, the bytes the
program wrote to the pty until it was quiet for {keyQuiet} — exactly what an SSH
link carries — and the median over the keys; *enable flow bytes* from ` + "`e`" + `
to 2FA on. *Peak RSS*: VmHWM from /proc/<pid>/status at the end.

**Server.** The server under test is ` + "`twofa serve`" + ` of the benchfloor build, a
subprocess (its RSS and CPU are its own) on a fresh SQLite file and, when
TWOFA_TEST_POSTGRES_DSN is set, on a fresh Postgres database created beside
it. The build tag adds one file, server/benchfloor.go, and with it one route,
` + "`POST /floor/api/auth/2fa/validate`" + `, to the server's own route table; a normal build
has no such route. Accounts are created before the server starts, through
an in-process server (server.Open behind httptest) whose clock runs {shift}
behind, so each enrollment spends a long-past step. Passwords get
argon2id test costs except where sign-ins are measured: those accounts get
one password hashed once with the real costs (auth.PasswordParams), so each
sign-in costs the server exactly one real verification.
*Validate*: each /2fa/validate needs its own pending sign-in and an unused
step. The harness signs every validation account in three times first
(pending tokens live {pendingTTL}); then, in three rounds, {clients} clients
complete one pending sign-in of every account, each client taking the next
account as it finishes one, with the code of the earliest step the server
will still accept, chosen at the moment of sending (T-1 in the first round,
then T, then T+1). When a step boundary passes while a code is in flight the
server refuses it; the refusal is counted (in the note) and the sign-in sent
again with a step chosen anew, so every validation counted is a real, successful
one — pending token spent, step accepted, session issued. The server that
validates a sign-in also issued it, as with one server process, so each
completes in the one statement that checks what the password step cached
against the database; the soak below sends every validation to the other
process, which reads the pending sign-in first.
*HTTP floor*: the same clients send requests of validate's shape (the real
client's ValidateTOTP, with the server URL ending in /floor) to the floor
route of the same server process. Its handler decodes the body as validate
does, runs the one conditional UPDATE that accepts a step (the store's
AcceptStep, on the server's own pool) and answers a token as validate does;
the request passes the same http.Server, request log, mux and route wrapper.
So the floor pays everything a validation pays except its work. The floor
requests run in four slices, before, between and after the three rounds, so
that both sides sample the same stretch of the run; validate_vs_http_floor's
note gives each round against the slices either side. Every rate, of a round
or a slice, counts the requests completed while every client still had one
to send: the ramp-down at the end of a burst, with fewer requests in flight,
would cost slow requests more than fast ones.
*DB floor*: right after, with the server idle, the harness runs server/store's
BenchmarkAcceptStep from the package's test binary (built with ` + "`go test -c`" + `
beside the programs, before anything is timed): the same AcceptStep from
{clients} goroutines, each on its own account with rising steps, through
store.Open (the server's pragmas and pool) on a fresh SQLite file, or in a
schema of its own in the run's Postgres database.
*Health* (context): GET /api/health, no database, from the same clients.
*Sign-ins*: {clients} clients sign in to accounts without 2FA (each sign-in is one
argon2id verification plus a session). The KDF floor is saturated hashing:
the harness verifies the very hash the server stores with auth.Verify, from
twice as many goroutines as cores, so every slot of auth's derivation bound
(one per core, as in the server) stays busy. The burst runs in {loginRounds}
rounds with a window of {kdfWindow} of such hashing before each round and after
the last, so floor and burst share the machine's load as it changes; the
limit is the verifications of all windows over their time. Both sides are
warmed first, untimed (one verification per harness goroutine, two sign-ins
per core at the server): a process's first derivations fault in their memory.
*Lockout*: one pending sign-in, {burst} clients released at once with the same
wrong code; "evaluated" counts invalid_code answers, the rest must be
locked_out.
*Peak RSS*: VmHWM of the server, reset (clear_refs 5) right before the
validation rounds and read right after them; again for the sign-in burst.
*Backup codes* (SQLite): accounts with the server's real backup-code costs,
one request at a time: per round, four wrong (well-formed, random) codes per
account, then one right code, which resets the failure count; the server's
CPU (utime+stime from /proc/<pid>/stat) over each stretch divided by its
requests, HTTP and JSON included — an overestimate of the check itself.
CoPilot's design is timed by server/auth's BenchmarkCoPilotBcryptScan, run
by the harness like the DB floor: bcrypt cost 12, a wrong code compared
against each of 8 stored codes, the benchmark process's CPU per scan.

**Soak** (Postgres). Two ` + "`twofa serve`" + ` processes as released on one fresh Postgres
database; {clients} people, each with two clients (one per server) sharing one
session, and {soakAccounts} accounts with 2FA and the real password costs. Each person
signs in, completes the sign-in with a TOTP code and reads the 2FA status {statusReads}
times, again and again until the time is up. A person's requests alternate
between the servers and each sign-in goes to the other one than the last,
so both servers take every kind of request and every validation reaches
the server that did not take its sign-in. Codes are
those of step T or T+1, which stay acceptable for at least one whole step
while in flight, so a refused code is a real error; a person whose accounts
have used both reads the status until the clock moves on. Latency is over
every successful request; every failed one (transport error, refusal, any
error answer) counts as an error; RSS is each server's VmHWM over the soak.

## Micro-benchmarks (` + "`go test -bench`" + `)

Beside the code they measure; plain ` + "`go test ./...`" + ` compiles them and skips them:

    go test -run '^$' -bench . ./internal/codes ./server/keys ./ui/qrview ./screens
    go test -run '^$' -bench . -benchtime 10x ./server/auth
    go test -run '^$' -bench . ./server

The server's (BenchmarkValidateTOTP, BenchmarkSignIn) run the whole request
in-process on a temp SQLite file behind httptest; add
` + "`-cpuprofile validate.prof`" + ` and read it with ` + "`go tool pprof -top`" + ` to see where a
validation's time goes.
`
