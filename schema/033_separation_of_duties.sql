-- 三员分立 (issue #16 finding 4): the one `admin` role becomes three, as 等保 asks —
--   sysadmin (系统管理员)  accounts, offices, partners, settings;
--   secadmin (安全管理员)  roles and grants, and the approval of account changes;
--   auditor  (审计管理员)  reads the audit log, nothing else.
-- Every existing admin becomes a sysadmin. The role CHECK of `users` is edited in place, as 009 and
-- 013 did for `cases` (a CHECK does not change how rows are stored; the rows already there are not
-- rechecked, and the UPDATE below then moves them into the new set).
PRAGMA writable_schema = ON;

UPDATE sqlite_schema SET sql =
  replace(sql,
    'CHECK (role IN (''operator'',''supervisor'',''partner'',''admin''))',
    'CHECK (role IN (''operator'',''supervisor'',''partner'',''sysadmin'',''secadmin'',''auditor''))')
WHERE type = 'table' AND name = 'users';

-- RESET, not OFF: this connection re-reads the edited schema before it writes users below.
PRAGMA writable_schema = RESET;

-- Abort (json() of a non-JSON text is an error) when the role constraint was not rewritten.
SELECT json('schema 033: the role CHECK of users was not rewritten')
  FROM sqlite_schema WHERE type = 'table' AND name = 'users' AND sql NOT LIKE '%''secadmin''%';

CREATE TABLE schema_033_touch (x);
DROP TABLE schema_033_touch;

UPDATE users SET role = 'sysadmin', version = version + 1 WHERE role = 'admin';

-- Changes to accounts that take effect only when a second person approves them
-- (casework/account_changes.hpp):
--   user.create               a new account (created disabled; enabled on approval, removed on rejection);
--   user.grant                role, office, partner organisation, or re-enabling;
--   user.second_factor_reset  removing a user's two-step verification when she lost her phone and codes.
-- role / office_id / partner_id / enable: what is asked for (NULL: unchanged); before_*: the account
-- as it was when asked (NULL for a creation), so the record reads "operator → supervisor" for ever.
-- username is kept beside user_id: a rejected creation removes the account (user_id becomes NULL).
CREATE TABLE account_changes (
  id              INTEGER PRIMARY KEY,
  kind            TEXT NOT NULL CHECK (kind = 'user.create' OR kind = 'user.grant' OR kind = 'user.second_factor_reset'),
  user_id         INTEGER REFERENCES users(id) ON DELETE SET NULL,
  username        TEXT NOT NULL,
  role            TEXT,
  office_id       INTEGER REFERENCES offices(id),
  partner_id      INTEGER REFERENCES partners(id),
  enable          INTEGER CHECK (enable IS NULL OR enable = 1),
  before_role     TEXT,
  before_office   INTEGER,
  before_partner  INTEGER,
  before_disabled INTEGER,
  requested_by    INTEGER NOT NULL REFERENCES users(id),
  requested_role  TEXT NOT NULL,
  requested_at    INTEGER NOT NULL,
  state           TEXT NOT NULL DEFAULT 'pending' CHECK (state = 'pending' OR state = 'approved' OR state = 'rejected'),
  decided_by      INTEGER REFERENCES users(id),
  decided_at      INTEGER,
  reason          TEXT NOT NULL DEFAULT '',
  CHECK ((state = 'pending') = (decided_at IS NULL))
);
-- One open request per account: a second one would race the first.
CREATE UNIQUE INDEX account_changes_one_pending ON account_changes(user_id) WHERE state = 'pending';
CREATE INDEX account_changes_recent ON account_changes(requested_at);
