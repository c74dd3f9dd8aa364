-- Where she is and when she can be reached, encrypted at rest (issue #16, finding 5): the
-- safe-contact rules of a person (when to call, what to say) and everything written in a safety plan
-- (its steps, emergency contacts' names and relations, the safe times, the places to go). Each value
-- becomes a FieldCipher blob under its own context (casework/person_identity.hpp, dv_safety_plan.hpp),
-- so a ciphertext moved to another column does not decrypt; NULL when the value is empty.
--
-- SQL cannot encrypt (the key is outside the database), so the plaintext of existing rows is moved
-- into migration_014_plaintext and the plaintext columns are dropped; the data step that runs with the
-- keys right after the migrations (casework/safe_contact_sealing.hpp) encrypts the moved values into
-- the new columns and drops that table. The tables have their final shape as soon as this file has run.

-- SQLite only: a dropped column's bytes are zeroed instead of lingering in the file's free space.
PRAGMA secure_delete = ON;

-- 009 edited stored CREATE TABLE text in place; a connection that ran it still holds the old parse,
-- from which ADD COLUMN would splice at a stale offset. RESET makes it parse the stored text anew.
PRAGMA writable_schema = RESET;

CREATE TABLE migration_014_plaintext (
  source   TEXT NOT NULL,     -- table.column the value came from
  row_id   INTEGER NOT NULL,  -- persons.id, dv_safety_plans.id, or the plan_id of a plan's step/contact/place
  position INTEGER NOT NULL,  -- the step's/contact's/place's position; 0 for the others
  value    TEXT NOT NULL
);
INSERT INTO migration_014_plaintext(source, row_id, position, value)
  SELECT 'persons.safe_times', id, 0, safe_times FROM persons WHERE safe_times <> '';
INSERT INTO migration_014_plaintext(source, row_id, position, value)
  SELECT 'persons.safe_note', id, 0, safe_note FROM persons WHERE safe_note <> '';
INSERT INTO migration_014_plaintext(source, row_id, position, value)
  SELECT 'dv_safety_plans.safe_times', id, 0, safe_times FROM dv_safety_plans WHERE safe_times <> '';
INSERT INTO migration_014_plaintext(source, row_id, position, value)
  SELECT 'dv_safety_plan_steps.text', plan_id, position, text FROM dv_safety_plan_steps WHERE text <> '';
INSERT INTO migration_014_plaintext(source, row_id, position, value)
  SELECT 'dv_safety_plan_contacts.name', plan_id, position, name FROM dv_safety_plan_contacts WHERE name <> '';
INSERT INTO migration_014_plaintext(source, row_id, position, value)
  SELECT 'dv_safety_plan_contacts.relation', plan_id, position, relation FROM dv_safety_plan_contacts
  WHERE relation <> '';
INSERT INTO migration_014_plaintext(source, row_id, position, value)
  SELECT 'dv_safety_plan_places.name', plan_id, position, name FROM dv_safety_plan_places WHERE name <> '';
INSERT INTO migration_014_plaintext(source, row_id, position, value)
  SELECT 'dv_safety_plan_places.address', plan_id, position, address FROM dv_safety_plan_places WHERE address <> '';
INSERT INTO migration_014_plaintext(source, row_id, position, value)
  SELECT 'dv_safety_plan_places.note', plan_id, position, note FROM dv_safety_plan_places WHERE note <> '';

ALTER TABLE persons ADD COLUMN safe_times_enc BLOB;
ALTER TABLE persons ADD COLUMN safe_note_enc BLOB;
ALTER TABLE persons DROP COLUMN safe_times;
ALTER TABLE persons DROP COLUMN safe_note;

ALTER TABLE dv_safety_plans ADD COLUMN safe_times_enc BLOB;
ALTER TABLE dv_safety_plans DROP COLUMN safe_times;

ALTER TABLE dv_safety_plan_steps ADD COLUMN text_enc BLOB;
ALTER TABLE dv_safety_plan_steps DROP COLUMN text;

ALTER TABLE dv_safety_plan_contacts ADD COLUMN name_enc BLOB;
ALTER TABLE dv_safety_plan_contacts ADD COLUMN relation_enc BLOB;
ALTER TABLE dv_safety_plan_contacts DROP COLUMN name;
ALTER TABLE dv_safety_plan_contacts DROP COLUMN relation;

ALTER TABLE dv_safety_plan_places ADD COLUMN name_enc BLOB;
ALTER TABLE dv_safety_plan_places ADD COLUMN address_enc BLOB;
ALTER TABLE dv_safety_plan_places ADD COLUMN note_enc BLOB;
ALTER TABLE dv_safety_plan_places DROP COLUMN name;
ALTER TABLE dv_safety_plan_places DROP COLUMN address;
ALTER TABLE dv_safety_plan_places DROP COLUMN note;
