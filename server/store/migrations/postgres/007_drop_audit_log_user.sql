-- audit_log_user(user_id) is the leading column of audit_log_user_event
-- (user_id, event, at), which serves every lookup by account too; the
-- extra index only cost every audit row one more index entry.
DROP INDEX audit_log_user;
