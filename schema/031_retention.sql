-- Retention (issue #16; casework/case_retention.hpp): a case archived longer than the configured
-- retention period has its personal data anonymised (anonymised_at), unless a supervisor put it on
-- legal hold (legal_hold_*: who, when, why) — a case before a court, a complaint about the handling.
-- Counts, dates, categories, statuses and the audit log stay: the statistics of past periods keep
-- their figures.
ALTER TABLE cases ADD COLUMN anonymised_at INTEGER;
ALTER TABLE cases ADD COLUMN legal_hold_at INTEGER;
ALTER TABLE cases ADD COLUMN legal_hold_by INTEGER REFERENCES users(id);
ALTER TABLE cases ADD COLUMN legal_hold_reason TEXT;
CREATE INDEX cases_to_anonymise ON cases(archived_at, id)
  WHERE archived_at IS NOT NULL AND anonymised_at IS NULL AND legal_hold_at IS NULL;
