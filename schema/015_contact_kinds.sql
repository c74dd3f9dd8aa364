-- What the offices' reports count about each contact (issues #13 and #14), recorded at intake:
--   consultation_kind   for a contact answered on the spot (resolution 'answered'): legal (法律咨询),
--                       marriage and family (婚姻家庭), psychological (心理), other (其他). NULL on
--                       contacts recorded before kinds existed (the report counts them apart, as
--                       "类别未注明") and on contacts not answered on the spot.
--   repeat_of_case_id   a repeat contact (重复访): the same person about a matter the office already
--                       has (case open, or closed within 12 months). The contact is linked to that
--                       case instead of opening a new one (case_id is that case too when it is the
--                       office's own). NULL for a first contact (初次).
--   level_skipping      1 for a level-skipping contact (越级访): taken by an office above the one with
--                       jurisdiction, skipping it; jurisdiction_office_id names that office.
-- A group visit (集体访) is not stored: it is a walk-in visit of 5 or more persons (contacts.persons).
-- Losses recovered (挽回经济损失) is a figure apart from losses avoided (避免经济损失): integer fen.

-- 009/013 edited stored CREATE TABLE text in place; RESET makes this connection parse it anew
-- before ADD COLUMN splices into it.
PRAGMA writable_schema = RESET;

-- CHECKs as OR chains of equalities, not IN lists (see 009: an IN list costs a temporary b-tree on
-- every insert).
ALTER TABLE contacts ADD COLUMN consultation_kind TEXT
  CHECK (consultation_kind = 'legal' OR consultation_kind = 'marriage_family'
         OR consultation_kind = 'psychological' OR consultation_kind = 'other');
ALTER TABLE contacts ADD COLUMN repeat_of_case_id INTEGER REFERENCES cases(id);
ALTER TABLE contacts ADD COLUMN level_skipping INTEGER NOT NULL DEFAULT 0 CHECK (level_skipping = 0 OR level_skipping = 1);
ALTER TABLE contacts ADD COLUMN jurisdiction_office_id INTEGER REFERENCES offices(id);
ALTER TABLE cases ADD COLUMN losses_recovered_fen INTEGER;

CREATE INDEX contacts_repeat_of ON contacts(repeat_of_case_id) WHERE repeat_of_case_id IS NOT NULL;
