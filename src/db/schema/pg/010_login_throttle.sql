-- 010_login_throttle (PostgreSQL): growing delays instead of a lockout
-- (domain/identity/throttle.c). A row per key: "a:<address>", "a:<address>|u:<user>",
-- "a:<address>|p:<phone>" (failed attempts), "p:<phone>" (codes sent, registered or not).
-- next_at is the earliest time the key's next attempt is admitted; last_at is indexed
-- for the sweep of keys quiet for an hour. The old keys ("u:<user>" locked an account for
-- everyone) mean nothing to the new rule.
DELETE FROM login_failures;
ALTER TABLE login_failures ADD COLUMN next_at BIGINT NOT NULL DEFAULT 0;
CREATE INDEX login_failures_last ON login_failures(last_at);
