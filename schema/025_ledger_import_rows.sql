-- Ledger rows already imported (issue #15 point 5): one row per imported ledger row, so that the same
-- ledger imported again — the same file, renamed, re-saved, reordered or with rows added — writes none
-- of them twice. row_key is the SHA-256 of the row's imported values as the importer read them (the
-- phone as its keyed fingerprint, never the number), with the row's occurrence among identical rows of
-- its file: two identical lines of one ledger are two contacts, and stay two on a re-import.
-- Per office: the key is unique within the office the row went into.
CREATE TABLE ledger_import_rows (
  office_id   INTEGER NOT NULL REFERENCES offices(id),
  row_key     TEXT NOT NULL,
  contact_id  INTEGER NOT NULL REFERENCES contacts(id),
  case_id     INTEGER REFERENCES cases(id),
  line        INTEGER NOT NULL,
  imported_at INTEGER NOT NULL,
  PRIMARY KEY (office_id, row_key)
) WITHOUT ROWID;
