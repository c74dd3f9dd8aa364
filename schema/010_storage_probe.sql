-- One row the health check rewrites while writes are failing, to learn when the storage takes writes
-- again (core/db/storage_checks.cpp): its payload is larger than an ordinary write, so that a probe
-- that fits in a corner of the WAL does not pass for recovery. Nothing else reads it.
CREATE TABLE storage_probe (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  written_at INTEGER NOT NULL,
  payload BLOB NOT NULL
);
