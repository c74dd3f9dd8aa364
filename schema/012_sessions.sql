-- Logged-in sessions, so that a restart or an upgrade does not log every operator out in the middle
-- of a call (web/auth/session_store.hpp keeps them in memory too, loaded from here at start). The
-- cookie token itself is never stored: token_hash is its keyed BLAKE2b hash under token_key, which
-- lives outside the database, so a copy of the database opens no session. csrf_sealed is the
-- session's CSRF token encrypted under field_key (XChaCha20-Poly1305). last_seen is written at most
-- once a minute per session (and at a clean stop), so idle expiry after a restart is exact to within
-- that minute, erring on the early side. Rows past their limits are purged at start and every few
-- minutes; disabling a user deletes the user's rows.
CREATE TABLE sessions (
  token_hash  BLOB PRIMARY KEY,
  user_id     INTEGER NOT NULL REFERENCES users(id),
  csrf_sealed BLOB NOT NULL,
  created_at  INTEGER NOT NULL,
  last_seen   INTEGER NOT NULL,
  expires_at  INTEGER NOT NULL
);
CREATE INDEX sessions_user ON sessions(user_id);

-- Failed logins for usernames that do not exist (casework/unknown_user_throttle.hpp), counted like
-- those of real accounts (users.failed_logins, users.locked_until) and, like them, kept across a
-- restart: otherwise a restart would unlock unknown names but not real ones, and tell them apart.
-- Keyed by the keyed hash (lookup_key) of the ASCII-lower-cased name, as usernames match without
-- case: what was typed as a username, sometimes a password, is not stored.
CREATE TABLE login_throttle (
  name_hash    BLOB PRIMARY KEY,
  failures     INTEGER NOT NULL,
  locked_until INTEGER NOT NULL,
  last_seen    INTEGER NOT NULL
);
CREATE INDEX login_throttle_last_seen ON login_throttle(last_seen);
