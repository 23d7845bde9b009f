-- TRUNCATE removes rows without running row triggers, so 001's
-- audit_log_no_change did not stop it: a statement trigger refuses it too.
-- (The table's owner can still drop the table or the trigger: keep the
-- server's database role from owning the schema where that matters.)
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();
