-- A session token belongs to a family: the sign-in that issued it and
-- every token refreshed from it. A refresh marks the token it replaces
-- (replaced_at) instead of deleting it, until it expires, so a replaced
-- token presented again is recognised as a copy and its whole family ends.
-- family_started is when the family's sign-in happened: no token of the
-- family outlives it by more than the server's maximum session age.
-- Tokens issued before this migration are each a family of their own.
ALTER TABLE tokens ADD COLUMN family TEXT NOT NULL DEFAULT '';
ALTER TABLE tokens ADD COLUMN family_started INTEGER NOT NULL DEFAULT 0;
ALTER TABLE tokens ADD COLUMN replaced_at INTEGER;
UPDATE tokens SET family = hash, family_started = created_at WHERE family = '';
CREATE INDEX tokens_family ON tokens(family);
