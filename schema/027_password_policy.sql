-- Password policy (issue #16; casework/password_policy.hpp, casework/password_history.hpp).
-- password_changed_at: when the current password was set (UTC ms), for the optional expiry
-- (config password_max_age_days). Existing accounts count from their creation: that is the last
-- time anyone can say their password was set.
-- must_change_password: 1 when the password was set by an administrator (a new account made through
-- the API), who therefore knows it; with config password_change_first_login on, her first session
-- may do nothing but change it. Cleared when she sets her own.
ALTER TABLE users ADD COLUMN password_changed_at INTEGER NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN must_change_password INTEGER NOT NULL DEFAULT 0;
UPDATE users SET password_changed_at = created_at;

-- The hashes (Argon2id, as users.password_hash; never a password) of each user's last passwords,
-- the current one included, at most 5 per user: a new password may not match any of them.
CREATE TABLE password_history (
  id            INTEGER PRIMARY KEY,
  user_id       INTEGER NOT NULL REFERENCES users(id),
  password_hash TEXT NOT NULL,
  set_at        INTEGER NOT NULL
);
CREATE INDEX password_history_user ON password_history(user_id, set_at);
INSERT INTO password_history(user_id, password_hash, set_at) SELECT id, password_hash, created_at FROM users;
