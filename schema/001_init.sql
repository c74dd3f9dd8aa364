-- Weiquan base schema. Times are UTC epoch milliseconds (INTEGER). Never edit a released migration:
-- add a new numbered file.

CREATE TABLE offices (
  id          INTEGER PRIMARY KEY,
  name        TEXT NOT NULL,
  region_code TEXT NOT NULL UNIQUE CHECK (length(region_code) = 6 AND region_code GLOB '[0-9]*'),
  parent_id   INTEGER REFERENCES offices(id),
  -- '/1/4/9/': the ids from the root down to this office, so a subtree is one prefix range scan.
  path        TEXT NOT NULL UNIQUE,
  level       TEXT NOT NULL CHECK (level IN ('national','province','city','county','township')),
  active      INTEGER NOT NULL DEFAULT 1,
  created_at  INTEGER NOT NULL
);

CREATE TABLE partners (
  id            INTEGER PRIMARY KEY,
  name          TEXT NOT NULL,
  type          TEXT NOT NULL CHECK (type IN ('court','police','procuratorate','justice','legal_aid',
                  'mediation_committee','civil_affairs','health','labour','education','federation','other')),
  region_codes  TEXT NOT NULL DEFAULT '',   -- comma-separated GB/T 2260 codes of its jurisdiction
  services      TEXT NOT NULL DEFAULT '',   -- comma-separated referral services it offers
  phone         TEXT NOT NULL DEFAULT '',
  contact_person TEXT NOT NULL DEFAULT '',
  working_hours TEXT NOT NULL DEFAULT '',
  active        INTEGER NOT NULL DEFAULT 1,
  version       INTEGER NOT NULL DEFAULT 1,
  created_at    INTEGER NOT NULL
);

CREATE TABLE users (
  id             INTEGER PRIMARY KEY,
  username       TEXT NOT NULL UNIQUE COLLATE NOCASE,
  display_name   TEXT NOT NULL,
  role           TEXT NOT NULL CHECK (role IN ('operator','supervisor','partner','admin')),
  office_id      INTEGER REFERENCES offices(id),
  partner_id     INTEGER REFERENCES partners(id),
  password_hash  TEXT NOT NULL,
  disabled       INTEGER NOT NULL DEFAULT 0,
  failed_logins  INTEGER NOT NULL DEFAULT 0,
  locked_until   INTEGER NOT NULL DEFAULT 0,
  version        INTEGER NOT NULL DEFAULT 1,
  created_at     INTEGER NOT NULL,
  CHECK (role NOT IN ('operator','supervisor') OR office_id IS NOT NULL),
  CHECK (role <> 'partner' OR partner_id IS NOT NULL)
);

-- The two-level taxonomy (seeded by 002); a case points at a second-level code.
CREATE TABLE categories (
  code        TEXT PRIMARY KEY,
  parent_code TEXT REFERENCES categories(code),
  name_zh     TEXT NOT NULL,
  name_en     TEXT NOT NULL,
  sort        INTEGER NOT NULL DEFAULT 0,
  active      INTEGER NOT NULL DEFAULT 1
);

-- Deadline settings; office_id 0 holds the defaults every office inherits, a row for an office
-- overrides one key for that office.
CREATE TABLE deadline_config (
  office_id INTEGER NOT NULL DEFAULT 0,
  key       TEXT NOT NULL CHECK (key IN ('acceptance_days','handling_days','max_extension_days',
              'referral_response_days','referral_feedback_days','po_ruling_hours','po_ruling_emergency_hours')),
  value     INTEGER NOT NULL CHECK (value > 0),
  PRIMARY KEY (office_id, key)
) WITHOUT ROWID;

-- The last case number issued per office and year; only the single writer touches it.
CREATE TABLE case_counters (
  office_id INTEGER NOT NULL REFERENCES offices(id),
  year      INTEGER NOT NULL,
  last_no   INTEGER NOT NULL,
  PRIMARY KEY (office_id, year)
) WITHOUT ROWID;

CREATE TABLE cases (
  id                INTEGER PRIMARY KEY,
  case_no           TEXT NOT NULL UNIQUE,
  office_id         INTEGER NOT NULL REFERENCES offices(id),
  office_path       TEXT NOT NULL,            -- copy of offices.path for scoped index scans
  status            TEXT NOT NULL CHECK (status IN ('registered','in_progress','referred','mediation',
                      'pending_closure','closed')),
  category          TEXT NOT NULL REFERENCES categories(code),
  channel           TEXT NOT NULL CHECK (channel IN ('hotline','walk_in','letter','online','agent',
                      'screening','transfer_in')),
  urgency           TEXT NOT NULL DEFAULT 'normal' CHECK (urgency IN ('normal','urgent','emergency')),
  risk_level        TEXT NOT NULL DEFAULT 'none' CHECK (risk_level IN ('none','general','elevated','high','extreme')),
  summary           TEXT NOT NULL DEFAULT '',
  narrative         TEXT NOT NULL DEFAULT '',
  assignee_id       INTEGER REFERENCES users(id),
  received_at       INTEGER NOT NULL,
  accepted_at       INTEGER,
  closed_at         INTEGER,
  acceptance_due    INTEGER,                  -- set while registered
  handling_due      INTEGER,                  -- set once accepted
  extension_days    INTEGER NOT NULL DEFAULT 0,
  -- The earliest deadline still running (NULL when none): "overdue" is next_due < now, an index scan.
  next_due          INTEGER,
  outcome           TEXT,
  closure_summary   TEXT,
  losses_avoided_fen INTEGER,                 -- money is integer fen (1/100 yuan)
  decline_reason    TEXT,
  transferred_to_case_id   INTEGER REFERENCES cases(id),
  transferred_from_case_id INTEGER REFERENCES cases(id),
  created_by        INTEGER REFERENCES users(id),
  created_at        INTEGER NOT NULL,
  updated_at        INTEGER NOT NULL,
  version           INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX cases_scope_status ON cases(office_path, status, received_at);
CREATE INDEX cases_scope_received ON cases(office_path, received_at);
CREATE INDEX cases_open_due ON cases(next_due) WHERE status <> 'closed';
CREATE INDEX cases_assignee ON cases(assignee_id, status);

-- The only way a case's status changes: one row per applied workflow event, written in the same
-- transaction as the case row.
CREATE TABLE case_events (
  id          INTEGER PRIMARY KEY,
  case_id     INTEGER NOT NULL REFERENCES cases(id),
  event       TEXT NOT NULL,
  from_status TEXT,
  to_status   TEXT NOT NULL,
  actor_id    INTEGER REFERENCES users(id),
  at          INTEGER NOT NULL,
  note        TEXT NOT NULL DEFAULT '',
  payload     TEXT NOT NULL DEFAULT '{}'     -- JSON object of the event's data
);
CREATE INDEX case_events_case ON case_events(case_id, id);

-- Every contact (call, visit, letter, ...), including silent and hang-up calls.
CREATE TABLE contacts (
  id            INTEGER PRIMARY KEY,
  office_id     INTEGER NOT NULL REFERENCES offices(id),
  case_id       INTEGER REFERENCES cases(id),
  channel       TEXT NOT NULL CHECK (channel IN ('hotline','walk_in','letter','online','agent',
                  'screening','transfer_in')),
  call_type     TEXT CHECK (call_type IN ('consultation','help_request','silent','hang_up','abusive','wrong_number')),
  received_at   INTEGER NOT NULL,
  duration_s    INTEGER,
  persons       INTEGER NOT NULL DEFAULT 1 CHECK (persons >= 1),
  category      TEXT REFERENCES categories(code),
  urgency       TEXT NOT NULL DEFAULT 'normal',
  resolution    TEXT CHECK (resolution IN ('answered','open_case','none')),
  summary       TEXT NOT NULL DEFAULT '',
  narrative     TEXT NOT NULL DEFAULT '',
  answer        TEXT NOT NULL DEFAULT '',
  operator_id   INTEGER REFERENCES users(id),
  created_at    INTEGER NOT NULL
);
CREATE INDEX contacts_case ON contacts(case_id);
CREATE INDEX contacts_office_received ON contacts(office_id, received_at);

-- People named in a contact. Phone and ID numbers are stored only encrypted, plus a keyed hash
-- (key outside the database) so a repeat caller can be matched without decrypting.
CREATE TABLE persons (
  id            INTEGER PRIMARY KEY,
  contact_id    INTEGER NOT NULL REFERENCES contacts(id),
  case_id       INTEGER REFERENCES cases(id),
  role          TEXT NOT NULL CHECK (role IN ('complainant','victim','respondent')),
  name          TEXT NOT NULL DEFAULT '',
  gender        TEXT CHECK (gender IN ('female','male','other','unknown')),
  age           INTEGER CHECK (age BETWEEN 0 AND 130),
  region_code   TEXT,
  relationship  TEXT NOT NULL DEFAULT '',
  phone_enc     BLOB,
  phone_hash    BLOB,
  id_number_enc BLOB,
  id_number_hash BLOB,
  ok_to_call    INTEGER,
  safe_times    TEXT NOT NULL DEFAULT '',
  safe_note     TEXT NOT NULL DEFAULT ''
);
CREATE INDEX persons_phone_hash ON persons(phone_hash) WHERE phone_hash IS NOT NULL;
CREATE INDEX persons_id_hash ON persons(id_number_hash) WHERE id_number_hash IS NOT NULL;
CREATE INDEX persons_case ON persons(case_id);
CREATE INDEX persons_contact ON persons(contact_id);

CREATE TABLE referrals (
  id              INTEGER PRIMARY KEY,
  case_id         INTEGER NOT NULL REFERENCES cases(id),
  partner_id      INTEGER NOT NULL REFERENCES partners(id),
  service         TEXT NOT NULL,
  reason          TEXT NOT NULL DEFAULT '',
  status          TEXT NOT NULL CHECK (status IN ('sent','accepted','declined','in_progress','completed','withdrawn')),
  consent_given   INTEGER NOT NULL,
  consent_contact_id INTEGER REFERENCES contacts(id),
  override_reason TEXT,
  sent_at         INTEGER NOT NULL,
  response_due    INTEGER,
  feedback_due    INTEGER,
  responded_at    INTEGER,
  completed_at    INTEGER,
  outcome         TEXT,
  decline_reason  TEXT,
  created_by      INTEGER REFERENCES users(id),
  version         INTEGER NOT NULL DEFAULT 1,
  CHECK (consent_given = 1 OR length(coalesce(override_reason, '')) > 0)
);
CREATE INDEX referrals_case ON referrals(case_id);
CREATE INDEX referrals_partner_status ON referrals(partner_id, status);
CREATE INDEX referrals_open_due ON referrals(response_due) WHERE status = 'sent';

CREATE TABLE mediations (
  id            INTEGER PRIMARY KEY,
  case_id       INTEGER NOT NULL REFERENCES cases(id),
  mediator      TEXT NOT NULL,
  partner_id    INTEGER REFERENCES partners(id),
  scheduled_at  INTEGER NOT NULL,
  place         TEXT NOT NULL DEFAULT '',
  result        TEXT CHECK (result IN ('agreement','failed','postponed')),
  agreement_summary TEXT,
  next_session_at INTEGER,
  created_by    INTEGER REFERENCES users(id),
  created_at    INTEGER NOT NULL,
  version       INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX mediations_case ON mediations(case_id);

CREATE TABLE notes (
  id        INTEGER PRIMARY KEY,
  case_id   INTEGER NOT NULL REFERENCES cases(id),
  author_id INTEGER REFERENCES users(id),
  at        INTEGER NOT NULL,
  text      TEXT NOT NULL
);
CREATE INDEX notes_case ON notes(case_id);

-- Substring search over names, summaries and narratives: one document per case, bigram-tokenised
-- (see core/db/bigram_tokenizer.hpp) so two-character Chinese words are found through the index.
CREATE VIRTUAL TABLE case_search USING fts5(body, tokenize = 'bigram');

CREATE TABLE audit_log (
  id INTEGER PRIMARY KEY,
  at INTEGER NOT NULL,                -- UTC epoch ms
  actor_id INTEGER,                   -- NULL for the system
  action TEXT NOT NULL,               -- e.g. 'case.read', 'case.transition', 'session.login_failed'
  object_type TEXT NOT NULL DEFAULT '',
  object_id INTEGER,
  detail TEXT NOT NULL DEFAULT '',
  ip TEXT NOT NULL DEFAULT '',
  hash BLOB NOT NULL                  -- keyed BLAKE2b over the previous row's hash and this row
);
