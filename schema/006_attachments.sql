-- Files attached to a case (a scanned ruling, an injury photo, a letter). The bytes are stored
-- encrypted (XChaCha20-Poly1305 under the field key, outside the database) because they are about
-- victims as much as the case text is; the SHA-256 of the plaintext lets an office check a copy.
CREATE TABLE attachments (
  id           INTEGER PRIMARY KEY,
  case_id      INTEGER NOT NULL REFERENCES cases(id),
  filename     TEXT NOT NULL,
  content_type TEXT NOT NULL,
  size         INTEGER NOT NULL CHECK (size > 0),
  sha256       TEXT NOT NULL,
  data_enc     BLOB NOT NULL,
  uploaded_by  INTEGER REFERENCES users(id),
  uploaded_at  INTEGER NOT NULL
);
CREATE INDEX attachments_case ON attachments(case_id, id);
