-- Two factors (issue #16; casework/second_factor.hpp): a TOTP secret per user (RFC 6238, 30 s steps,
-- six digits), encrypted with the field key like a phone number (never readable in the file), and
-- one-time recovery codes stored as keyed hashes only.
-- confirmed_at: NULL while enrolment waits for the first code from her app; the second factor is
-- asked at login only once confirmed. last_step: the newest 30-second step a code was accepted
-- for, so a code seen over her shoulder cannot be used again.
CREATE TABLE user_totp (
  user_id      INTEGER PRIMARY KEY REFERENCES users(id),
  secret_enc   BLOB NOT NULL,
  created_at   INTEGER NOT NULL,
  confirmed_at INTEGER,
  last_step    INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE user_recovery_codes (
  id        INTEGER PRIMARY KEY,
  user_id   INTEGER NOT NULL REFERENCES users(id),
  code_hash BLOB NOT NULL,
  used_at   INTEGER
);
CREATE INDEX user_recovery_codes_user ON user_recovery_codes(user_id);
