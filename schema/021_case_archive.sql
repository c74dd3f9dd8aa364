-- 存档 (issue #13; DOMAIN.md "The handling process"): a closed case is archived once its follow-up is
-- done and no review window is open — or, whatever the follow-up, after a configurable time
-- (archive_after_days, default 90 days after closure) — provided no 复查 / 复核 is pending or may still be
-- asked, no 交办 report is owed and no 督办 is unanswered. Archived cases are read-only (reads are audited
-- as before); DV measures may still be recorded (they outlive the case). The server archives due cases in
-- the background (casework/case_archive.hpp), each with an `archive` case event.
PRAGMA writable_schema = RESET;

ALTER TABLE cases ADD COLUMN archived_at INTEGER;

-- The closed cases not yet archived, oldest closure first: what the archiving sweep walks.
CREATE INDEX cases_to_archive ON cases(closed_at, id) WHERE status = 'closed' AND archived_at IS NULL;

-- The time limit, configurable like the others (the key CHECK edited as 020 did).
PRAGMA writable_schema = ON;
UPDATE sqlite_schema SET sql = replace(sql, '''review_answer_days''))', '''review_answer_days'',''archive_after_days''))')
WHERE type = 'table' AND name = 'deadline_config';
PRAGMA writable_schema = RESET;
SELECT json('schema 021: the key CHECK of deadline_config was not rewritten')
  FROM sqlite_schema WHERE type = 'table' AND name = 'deadline_config' AND sql NOT LIKE '%archive_after_days%';

INSERT INTO deadline_config(office_id, key, value) VALUES (0, 'archive_after_days', 90);
