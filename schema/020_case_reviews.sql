-- 复查 and 复核 (issue #13; DOMAIN.md "The handling process", "Legal time limits"): a person dissatisfied
-- with an office's reply (答复) may ask the office one level above the one that replied for a review
-- (复查) within 30 days of the reply; that office answers within 30 days. Dissatisfied with the review,
-- she may ask the next level up for a re-review (复核) within 30 days of the review's answer, answered
-- within 30 days. After a re-review the same matter is not accepted again (不再受理).
--
-- One row per request, on the case whose reply is contested (the case stays closed at its office; the
-- reviewing office records the request and its answer). office_id is the reviewing office; due_at the
-- end of the 30th day after the request; the answer (decision, basis, written document number) fills
-- the decided_* columns once. At most one review and one re-review per case.
CREATE TABLE case_reviews (
  id           INTEGER PRIMARY KEY,
  case_id      INTEGER NOT NULL REFERENCES cases(id),
  kind         TEXT NOT NULL CHECK (kind = 'review' OR kind = 're_review'),
  office_id    INTEGER NOT NULL REFERENCES offices(id),
  requested_at INTEGER NOT NULL,
  request      TEXT NOT NULL,
  due_at       INTEGER NOT NULL,
  recorded_by  INTEGER REFERENCES users(id),
  recorded_at  INTEGER NOT NULL,
  decided_at   INTEGER,
  decision     TEXT CHECK (decision = 'upheld' OR decision = 'changed'),
  basis        TEXT,
  document_no  TEXT,
  decided_by   INTEGER REFERENCES users(id),
  UNIQUE (case_id, kind)
);
-- The reviews still unanswered, by due date (the dashboard's overdue count; few rows).
CREATE INDEX case_reviews_open_due ON case_reviews(due_at) WHERE decided_at IS NULL;

-- The default windows; an office may configure shorter ones (deadline_config, as for the other limits).
-- The key CHECK of deadline_config gains the two keys, edited in the stored CREATE TABLE text as 009
-- did (a CHECK change does not change how rows are stored); the SELECT aborts when it did not match.
PRAGMA writable_schema = ON;
UPDATE sqlite_schema SET sql = replace(sql, '''po_ruling_hours'',''po_ruling_emergency_hours''))',
                                       '''po_ruling_hours'',''po_ruling_emergency_hours'',''review_request_days'',''review_answer_days''))')
WHERE type = 'table' AND name = 'deadline_config';
PRAGMA writable_schema = RESET;
SELECT json('schema 020: the key CHECK of deadline_config was not rewritten')
  FROM sqlite_schema WHERE type = 'table' AND name = 'deadline_config' AND sql NOT LIKE '%review_answer_days%';

INSERT INTO deadline_config(office_id, key, value) VALUES
  (0, 'review_request_days', 30),   -- ask for 复查 (复核) within 30 days of the reply (the review's answer)
  (0, 'review_answer_days', 30);    -- the reviewing office answers within 30 days
