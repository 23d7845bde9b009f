-- Accounts, with the second-factor guard state (failure count, lock, last
-- accepted TOTP step) on the account row so one conditional UPDATE owns it.
CREATE TABLE users (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    username         TEXT    NOT NULL UNIQUE,
    password_hash    TEXT    NOT NULL,
    role             TEXT    NOT NULL CHECK (role IN ('admin', 'user')),
    created_at       INTEGER NOT NULL,
    tfa_failed       INTEGER NOT NULL DEFAULT 0,
    tfa_locked_until INTEGER,
    totp_last_step   INTEGER
);

-- Session and pending tokens, stored only as SHA-256 hashes.
CREATE TABLE tokens (
    hash       TEXT    PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    kind       TEXT    NOT NULL CHECK (kind IN ('session', 'pending')),
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
);
CREATE INDEX tokens_user ON tokens(user_id);

-- One TOTP secret per account, Fernet-encrypted; pending until verified.
CREATE TABLE totp_secrets (
    user_id    INTEGER PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
    secret_enc TEXT    NOT NULL,
    state      TEXT    NOT NULL CHECK (state IN ('pending', 'enabled')),
    created_at INTEGER NOT NULL,
    enabled_at INTEGER
);

-- Backup codes: a keyed index to find the candidate, a salted argon2id hash
-- to confirm it, and used_at set exactly once.
CREATE TABLE backup_codes (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id    INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    idx        TEXT    NOT NULL,
    hash       TEXT    NOT NULL,
    created_at INTEGER NOT NULL,
    used_at    INTEGER,
    UNIQUE (user_id, idx)
);

-- Append-only security log.
CREATE TABLE audit_log (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    at          INTEGER NOT NULL,
    user_id     INTEGER,
    username    TEXT    NOT NULL,
    event       TEXT    NOT NULL,
    client_addr TEXT    NOT NULL,
    detail      TEXT    NOT NULL
);
CREATE INDEX audit_log_user ON audit_log(user_id);

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;

CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;
