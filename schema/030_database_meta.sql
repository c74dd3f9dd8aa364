-- Facts about the database itself, by name. crypto_suite: the algorithms its protected data and audit
-- chain were made with ('sodium' or 'sm', core/crypto/suite.hpp), recorded when its key file is first
-- opened, so that a key file of the other suite is refused instead of failing row by row.
CREATE TABLE database_meta (
  name  TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
