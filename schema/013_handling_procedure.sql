-- The 信访 procedure, first slice (issue #13): the notice to the person (告知), the reply (答复), an
-- extension with its reason, approver and notice (延期), and 转送 / 交办 as two different things.
--
-- Two new case statuses (the CHECK constraint of `cases` is edited in place, as 009 did and for the
-- same reason: changing a CHECK does not change how rows are stored):
--   delegated (交办中)  assigned to another office with report-back; open until the sender accepts
--                        the receiver's completion report (办结报告);
--   forwarded (已转送)  sent to the office with jurisdiction; the case ends here and is not 办结.
--
-- Mapping of existing data:
--   closed with outcome 'transferred'  → forwarded, outcome 'forwarded'. The first version closed the
--     sender's case on every transfer, assign-down (交办) included, and no report was ever asked for,
--     so each of them was in effect a 转送; a case_transfers row (mode 'forward') records each.
--   the receiving office's copy kept the original received_at: it now gets the day it arrived (the
--     copy's created_at), the original date moves to case_transfers.first_received_at, and a copy
--     still registered gets its acceptance (notice) deadline again from that day (the office's own
--     acceptance_days, else the default, else 15; an ancestor's stricter setting is not looked up).
--   every other status keeps its name and meaning. Cases in progress have no reply yet: they need
--     one before request_closure. Cases already pending_closure or closed are left as they are (their
--     closure predates the rule), and past decisions have no recorded notice.
PRAGMA writable_schema = ON;

UPDATE sqlite_schema SET sql =
  replace(sql,
    'status = ''pending_closure'' OR status = ''closed'')',
    'status = ''pending_closure'' OR status = ''closed'' OR status = ''delegated'' OR status = ''forwarded'')')
WHERE type = 'table' AND name = 'cases';

-- RESET, not OFF: this connection also re-reads the edited schema (it goes on to write cases).
PRAGMA writable_schema = RESET;

-- Abort (json() of a non-JSON text is an error) when the status constraint was not rewritten.
SELECT json('schema 013: the status CHECK of cases was not rewritten')
  FROM sqlite_schema WHERE type = 'table' AND name = 'cases' AND sql NOT LIKE '%status = ''forwarded''%';

CREATE TABLE schema_013_touch (x);
DROP TABLE schema_013_touch;

-- How and when the person was told (告知): of the decision on her matter (accept, decline, forward,
-- delegate: kind 'decision'), or of an extension (kind 'extension'). due_at is the limit the notice
-- had to meet (15 days after receipt for a decision; none for an extension).
CREATE TABLE case_notices (
  id          INTEGER PRIMARY KEY,
  case_id     INTEGER NOT NULL REFERENCES cases(id),
  kind        TEXT NOT NULL CHECK (kind = 'decision' OR kind = 'extension'),
  decision    TEXT,                               -- the event: accept, decline, forward, delegate, extend_handling
  told_at     INTEGER NOT NULL,
  method      TEXT NOT NULL CHECK (method = 'in_person' OR method = 'phone' OR method = 'written' OR method = 'sms'),
  document_no TEXT,
  on_the_spot INTEGER NOT NULL DEFAULT 0,
  due_at      INTEGER,
  recorded_by INTEGER REFERENCES users(id),
  recorded_at INTEGER NOT NULL
);
CREATE INDEX case_notices_case ON case_notices(case_id, id);

-- The office's answer to the person (答复 / 处理意见书). The newest row with superseded = 0 is the
-- reply in force; reopening the case or returning a 交办 report for more work supersedes it.
CREATE TABLE case_replies (
  id          INTEGER PRIMARY KEY,
  case_id     INTEGER NOT NULL REFERENCES cases(id),
  replied_at  INTEGER NOT NULL,
  method      TEXT NOT NULL CHECK (method = 'in_person' OR method = 'phone' OR method = 'written' OR method = 'sms'),
  opinion     TEXT NOT NULL CHECK (opinion = 'support' OR opinion = 'explain' OR opinion = 'not_support'),
  basis       TEXT NOT NULL,
  document_no TEXT,
  handling_due INTEGER,                           -- the limit in force when it was made (on time or not)
  from_case_id INTEGER REFERENCES cases(id),      -- a 交办 report accepted: the receiver's case it came from
  superseded  INTEGER NOT NULL DEFAULT 0,
  recorded_by INTEGER REFERENCES users(id),
  recorded_at INTEGER NOT NULL
);
CREATE INDEX case_replies_case ON case_replies(case_id, id);

-- The one extension of the handling limit (延期): how long, why, which office head approved it (the
-- supervisor who applied it), and the limit before and after. Its notice is a case_notices row.
CREATE TABLE case_extensions (
  case_id     INTEGER PRIMARY KEY REFERENCES cases(id),
  days        INTEGER NOT NULL CHECK (days > 0),
  reason      TEXT NOT NULL,
  approved_by INTEGER REFERENCES users(id),
  granted_at  INTEGER NOT NULL,
  previous_due INTEGER,
  new_due     INTEGER NOT NULL
);

-- 转送 (mode 'forward') and 交办 (mode 'delegate'): the sender's case, the receiver's new case, and
-- for 交办 the completion report it owes: report_state 'awaited' → 'reported' (the receiver sent it)
-- → 'accepted' (the sender closed its case with it), or back to 'awaited' when the sender returned it
-- (退回重办; returns counts them). first_received_at is the day the matter first reached any office.
CREATE TABLE case_transfers (
  id                INTEGER PRIMARY KEY,
  from_case_id      INTEGER NOT NULL REFERENCES cases(id),
  to_case_id        INTEGER NOT NULL UNIQUE REFERENCES cases(id),
  mode              TEXT NOT NULL CHECK (mode = 'forward' OR mode = 'delegate'),
  from_office_id    INTEGER NOT NULL REFERENCES offices(id),
  to_office_id      INTEGER NOT NULL REFERENCES offices(id),
  sent_at           INTEGER NOT NULL,
  first_received_at INTEGER NOT NULL,
  report_due        INTEGER,
  report_state      TEXT CHECK (report_state IS NULL OR report_state = 'awaited' OR report_state = 'reported'
                                OR report_state = 'accepted'),
  reported_at       INTEGER,
  returns           INTEGER NOT NULL DEFAULT 0,
  last_return_reason TEXT,
  settled_at        INTEGER
);
CREATE INDEX case_transfers_from ON case_transfers(from_case_id);

INSERT INTO case_transfers(from_case_id, to_case_id, mode, from_office_id, to_office_id, sent_at, first_received_at)
  SELECT s.id, r.id, 'forward', s.office_id, r.office_id, coalesce(s.closed_at, r.created_at), r.received_at
  FROM cases s JOIN cases r ON r.id = s.transferred_to_case_id
  WHERE s.status = 'closed' AND s.outcome = 'transferred';

UPDATE cases SET status = 'forwarded', outcome = 'forwarded'
  WHERE status = 'closed' AND outcome = 'transferred';

UPDATE cases SET received_at = created_at
  WHERE id IN (SELECT to_case_id FROM case_transfers) AND received_at < created_at;

-- The end (23:59:59.999 Shanghai) of the Nth day after the arrival day, as DeadlinePolicy computes it.
UPDATE cases SET acceptance_due =
    ((received_at + 28800000) / 86400000 + 1 + coalesce(
        (SELECT value FROM deadline_config WHERE office_id = cases.office_id AND key = 'acceptance_days'),
        (SELECT value FROM deadline_config WHERE office_id = 0 AND key = 'acceptance_days'), 15))
      * 86400000 - 28800000 - 1
  WHERE status = 'registered' AND id IN (SELECT to_case_id FROM case_transfers);
UPDATE cases SET next_due = acceptance_due
  WHERE status = 'registered' AND id IN (SELECT to_case_id FROM case_transfers);
