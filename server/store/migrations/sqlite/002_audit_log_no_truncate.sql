-- SQLite has no TRUNCATE: its "DELETE FROM audit_log" without a WHERE runs
-- 001's audit_log_no_delete (SQLite turns off its truncate optimisation
-- while a DELETE trigger exists), so there is nothing to add. This keeps
-- the migration numbers of both drivers in step.
SELECT 1;
