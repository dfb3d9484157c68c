-- 008_password_resets (PostgreSQL): a password reset an admin or a manager
-- started for a staff member, which only its owner completes with the
-- one-time code sent to their phone (domain/identity/password_reset.c). One
-- open reset per user; the code is stored as its hash; attempts are counted.
CREATE TABLE password_resets (
  user_id BIGINT PRIMARY KEY REFERENCES users(id),
  code_hash TEXT NOT NULL,
  attempts BIGINT NOT NULL DEFAULT 0,
  created_by BIGINT NOT NULL,
  created_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL
);
