-- tfa_lock_reported is the tfa_locked_until whose first refused attempt
-- the audit log has recorded: later refusals of the same lock write no
-- row, so a flood against a locked account adds one audit row per lock.
-- tokens_expires lets the background sweep delete expired tokens without
-- scanning the table.
ALTER TABLE users ADD COLUMN tfa_lock_reported BIGINT;
CREATE INDEX tokens_expires ON tokens(expires_at);
