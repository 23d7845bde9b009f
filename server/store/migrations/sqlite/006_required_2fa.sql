-- Roles whose accounts must have two-factor authentication [ext]: an
-- account of such a role without 2FA may use a full session until
-- grace_seconds after the later of since (when the rule was set) and its
-- own creation; after that its sessions are good only for enrolling.
CREATE TABLE required_2fa (
    role          TEXT    PRIMARY KEY,
    grace_seconds INTEGER NOT NULL CHECK (grace_seconds >= 0),
    since         INTEGER NOT NULL
);

-- The Users tab's last sign-in is the newest signin_ok event of an account.
CREATE INDEX audit_log_user_event ON audit_log(user_id, event, at);
