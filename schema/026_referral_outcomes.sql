-- 026: structured outcomes of referrals and follow-up attempts (issue #15 point 4).
--
-- A completed referral records what the partner did in a form the period report can count: the
-- kind (per service: a warning letter issued or not, a protection order granted or denied, legal aid
-- granted or refused, shelter provided or not), its date (issued / ruled / shelter from), an end date
-- (the order's last day / shelter to) and a document number. The DV record it creates (a warning
-- letter, the order's ruling, a shelter stay) lives in its own table — one home for each figure —
-- and outcome_record names it ("warning_letter:12"). The free text stays in `outcome`, as a note.
ALTER TABLE referrals ADD COLUMN outcome_kind TEXT;
ALTER TABLE referrals ADD COLUMN outcome_on INTEGER;
ALTER TABLE referrals ADD COLUMN outcome_until INTEGER;
ALTER TABLE referrals ADD COLUMN outcome_document_no TEXT;
ALTER TABLE referrals ADD COLUMN outcome_record TEXT;

-- The warning letter's number (告诫书文号), when known.
ALTER TABLE dv_warning_letters ADD COLUMN document_no TEXT NOT NULL DEFAULT '';

-- A follow-up call that did not reach a result: 未接通 (no_answer), 改期 (rescheduled, with the
-- agreed new date), 拒绝回访 (refused). Kept apart from follow_ups so follow_up.done and the
-- satisfaction rate keep counting results only.
CREATE TABLE follow_up_attempts (
  id             INTEGER PRIMARY KEY,
  case_id        INTEGER NOT NULL REFERENCES cases(id),
  closed_at      INTEGER NOT NULL,
  result         TEXT NOT NULL CHECK (result IN ('no_answer','rescheduled','refused')),
  rescheduled_to INTEGER,
  note           TEXT NOT NULL DEFAULT '',
  attempted_at   INTEGER NOT NULL,
  recorded_by    INTEGER REFERENCES users(id),
  created_at     INTEGER NOT NULL,
  CHECK (result <> 'rescheduled' OR rescheduled_to IS NOT NULL)
);
CREATE INDEX follow_up_attempts_case ON follow_up_attempts(case_id, closed_at);
