package main

// methodText explains in RESULTS.md how each figure is measured.
const methodText = `## How each figure is measured

Everything runs on 127.0.0.1 with bounded counts. ` + "`go run ./bench`" + ` first builds
` + "`twofa`" + ` and ` + "`bench/baseline`" + ` with ` + "`go build`" + ` into a temp dir, so no figure
includes compile time. ` + "`--quick`" + ` runs fewer repetitions of the same figures.

**Terminal UI.** Each program runs in its own 80x24 pseudo-terminal
(creack/pty) whose output feeds a vt10x screen; the runner answers the
background-colour query (OSC 11) the way xterm does, and vt10x answers the
cursor-position query, because Bubble Tea v1 asks both at start and would
otherwise wait out termenv's 5 s timeout. Every run gets a fresh HOME and
XDG directories, so no remembered user or saved session shortens it.
*First frame*: from just before the fork to the last byte written before the
screen held its texts ("Sign in", "Username", "Password" for twofa; the one
line for the baseline) and stayed quiet for 150 ms. twofa and the baseline
(a bare Bubble Tea v1 program on the alternate screen drawing one line) run
in turn, and the ratio is of the medians. A third program runs in the same
rotation as a diagnostic: ` + "`bench/tuionly`" + `, the same screens, client and
keyring started the same way but without the cobra commands that link the
server (pure-Go SQLite, pgx) into the binary. *Peak RSS*: VmHWM from
/proc/<pid>/status after a scripted flow: sign in, Security tab, ` + "`e`" + `,
password, QR, ` + "`k`" + ` (the secret is read off the screen), the TOTP typed
digit by digit, backup codes, confirmation, 2FA on. *Bytes per keystroke*:
for each digit typed into the wizard's code field, the bytes the program
wrote to the pty until it was quiet for 100 ms; the median over the six
digits — exactly what an SSH link would carry.

**Server.** ` + "`twofa serve`" + ` runs as a subprocess (its RSS and CPU are its own) on a
fresh SQLite file and, when TWOFA_TEST_POSTGRES_DSN is set, on a fresh
Postgres database created beside it. Accounts are created before it starts
with ` + "`server.Open`" + ` + ` + "`CreateUser`" + ` and enrolled through the in-process handler with
the clock 10 minutes back, so each enrollment spends a long-past step.
*Validate*: each /2fa/validate needs its own pending sign-in and a TOTP step
not yet used by the account. The harness therefore signs every validation
account in three times first (pending tokens live 5 minutes), then 64
clients each take their own accounts and complete every pending sign-in
with the code of the earliest step the server will still accept (T-1, then
T, then T+1 of the real clock at the moment of sending): every request is a
real, successful validation — pending token spent, step accepted, session
issued. The validation accounts use argon2id test costs for their password
and backup codes, which a TOTP validation never touches; this only makes
the pre-issuing of thousands of pending sign-ins affordable.
*HTTP floor* (context): the same clients send GET /api/health (no database)
to the same server just before the validations: the most any endpoint can
do over HTTP with client and server sharing this machine's cores.
*DB floor*: with the server stopped, the harness opens the same database
through the server's own ` + "`store.Open`" + ` (same DSN, pragmas and pool) and runs the
one statement that accepts a TOTP step (` + "`UPDATE users SET totp_last_step = $2 WHERE id = $1 AND (totp_last_step IS NULL OR totp_last_step < $2)`" + `)
from 64 goroutines, each on its own accounts with rising steps.
*Sign-ins*: 64 clients sign in to accounts with the server's real password
costs (no second factor, so each is exactly one argon2id verification plus a
session). The KDF limit is the higher of two floors timed in the harness
with the parameters read from the stored hash, while the server is idle:
cores ÷ the CPU time of one hash (the issue's formula; with p=2 one hash runs
two lanes in parallel, so its time in core-seconds is its CPU time — its
wall time would count each core twice), and the rate of hashes on one
goroutine per core. Taking the higher never flatters the ratio.
*Lockout*: one pending sign-in, 200 goroutines released at once with the
same wrong code; "evaluated" counts 401 invalid_code answers, the rest must
be 429 locked_out.
*Peak RSS*: VmHWM of the server, reset (clear_refs 5) right before the
validate burst and read right after; the sign-in burst's peak is reported
separately.
*Backup codes*: accounts with the server's real backup-code costs, one
request at a time: per round, four wrong (well-formed, random) codes per
account, then one right code, which resets the failure count; the server's
CPU (utime+stime from /proc/<pid>/stat) over each stretch divided by its
requests, HTTP and JSON included — an overestimate of the check itself.
CoPilot's design is timed in the harness: bcrypt cost 12, a wrong code
compared against each of 8 stored codes.
`
