-- Read access to a case for an office outside its scope, granted by assign-down / forward (交办 /
-- 转送). The case itself moves: a new case is opened in the receiving office (its own number, the
-- persons copied) and the original is closed as `transferred`. So that "the case moves with its
-- history" and "the sending office keeps read access and sees the feedback":
--   'sender'   on the new case, for the office that sent it (and, copied along a chain of transfers,
--              for every earlier sender): they can open it read-only and follow its progress;
--   'receiver' on the original, for the receiving office: its history, notes and attachments stay
--              readable where the work now happens.
-- Writes are never granted here: they stay with the office whose subtree holds the case.
CREATE TABLE case_access (
  case_id    INTEGER NOT NULL REFERENCES cases(id),
  office_id  INTEGER NOT NULL REFERENCES offices(id),
  reason     TEXT NOT NULL CHECK (reason IN ('sender', 'receiver')),
  granted_at INTEGER NOT NULL,
  PRIMARY KEY (case_id, office_id)
) WITHOUT ROWID;
CREATE INDEX case_access_by_office ON case_access(office_id, case_id);
