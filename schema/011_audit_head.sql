-- The audit chain's high-water mark: the id and hash of the newest row ever appended. append()
-- continues from here, not from the newest row still present, so deleting the newest rows never
-- lets their ids be reused (the next row leaves a gap verify reports). An anchor outside the
-- database (core/audit/audit_anchor.hpp) covers the case where this row is rewritten too.
CREATE TABLE audit_head (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  last_id INTEGER NOT NULL,
  last_hash BLOB NOT NULL
);
INSERT INTO audit_head (id, last_id, last_hash)
  SELECT 1, id, hash FROM audit_log WHERE id = (SELECT max(id) FROM audit_log);
