-- 督办 (issue #13): an office above the handling office, or the office that 交办'd the case to it,
-- puts a case under supervision with a note and a due date; the handling office answers it once
-- (督办回复). A 督办 is open while answered_at IS NULL; it is overdue when open past due_at (the end,
-- 23:59:59.999 Beijing time, of its due date).
--
-- Open 督办 are few next to a million cases, so every query that needs them (the list's flag and
-- filter, the dashboard counts) reads the partial index of the open ones, case_supervisions_open,
-- and looks cases up by their key. Being unique on (case, supervising office), it is also the
-- backstop for "one open 督办 per case and office" (the service checks first and answers 409).
CREATE TABLE case_supervisions (
  id          INTEGER PRIMARY KEY,
  case_id     INTEGER NOT NULL REFERENCES cases(id),
  office_id   INTEGER NOT NULL REFERENCES offices(id),  -- the supervising office
  user_id     INTEGER REFERENCES users(id),             -- its supervisor who opened it
  note        TEXT NOT NULL,
  due_at      INTEGER NOT NULL,
  created_at  INTEGER NOT NULL,
  answer      TEXT,
  answered_at INTEGER,
  answered_by INTEGER REFERENCES users(id),
  CHECK ((answer IS NULL) = (answered_at IS NULL))
);
CREATE INDEX case_supervisions_case ON case_supervisions(case_id, id);
CREATE UNIQUE INDEX case_supervisions_open ON case_supervisions(case_id, office_id) WHERE answered_at IS NULL;
