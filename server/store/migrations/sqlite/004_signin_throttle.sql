-- Failed password checks, per client address and per account, that slow
-- further checks (see server/throttle.go for the policy). scope is
-- 'address' (an IPv4 address or IPv6 /64) or 'account' (user:<id>, or a
-- keyed hash of a name no account has). failures counts checks that
-- failed; pending the checks admitted and not yet settled (pending_since
-- is when the last one was admitted, so a count a crashed process left
-- behind expires). refused counts the attempts turned away while held;
-- reported is the failure count whose hold the audit log has already
-- recorded, so a flood writes one audit row per failure at most, not one
-- per attempt.
CREATE TABLE signin_throttle (
    scope         TEXT    NOT NULL CHECK (scope IN ('address', 'account')),
    subject       TEXT    NOT NULL,
    failures      INTEGER NOT NULL DEFAULT 0,
    pending       INTEGER NOT NULL DEFAULT 0,
    pending_since INTEGER NOT NULL DEFAULT 0,
    last_failure  INTEGER NOT NULL DEFAULT 0,
    refused       INTEGER NOT NULL DEFAULT 0,
    reported      INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (scope, subject)
);
CREATE INDEX signin_throttle_last ON signin_throttle(last_failure);

-- Addresses an account signed in from with its password: the account's
-- own throttle does not hold them.
CREATE TABLE signin_known (
    account TEXT   NOT NULL,
    address TEXT   NOT NULL,
    last_ok INTEGER NOT NULL,
    PRIMARY KEY (account, address)
);
CREATE INDEX signin_known_last ON signin_known(last_ok);
