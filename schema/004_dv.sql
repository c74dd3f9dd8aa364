-- The domestic-violence module: the DV record of a case, risk assessments (against the instrument
-- of 003), safety plans (versioned), protection orders with their extensions and violations,
-- police warning letters, shelter stays and mandatory reports. Every row hangs off a case and is
-- read through the case's scope. Times are UTC epoch ms; incident dates are the first ms of the
-- Shanghai day.

-- One DV record per case (人身/家暴情况), edited as a whole with optimistic versions.
CREATE TABLE dv_records (
  case_id            INTEGER PRIMARY KEY REFERENCES cases(id),
  first_incident_at  INTEGER,
  latest_incident_at INTEGER,
  frequency          TEXT CHECK (frequency IN ('once','occasional','monthly','weekly','daily')),
  injuries           TEXT NOT NULL DEFAULT '',
  children_present   INTEGER CHECK (children_present IN (0, 1)),
  children_harmed    INTEGER CHECK (children_harmed IN (0, 1)),
  weapons_used       INTEGER CHECK (weapons_used IN (0, 1)),
  weapons            TEXT NOT NULL DEFAULT '',
  relationship       TEXT CHECK (relationship IN ('spouse','former_spouse','cohabiting_partner','former_partner',
                       'parent','child','sibling','in_law','other_family','guardian','other')),
  cohabitation       TEXT CHECK (cohabitation IN ('cohabiting','separated')),
  updated_by         INTEGER REFERENCES users(id),
  updated_at         INTEGER NOT NULL,
  version            INTEGER NOT NULL DEFAULT 1,
  CHECK (first_incident_at IS NULL OR latest_incident_at IS NULL OR first_incident_at <= latest_incident_at)
);

-- The forms of violence named in the Anti-Domestic Violence Law and the 2022 SPC provisions
-- (multi-select), one row per form so statistics can count them.
CREATE TABLE dv_violence_forms (
  case_id INTEGER NOT NULL REFERENCES dv_records(case_id),
  form    TEXT NOT NULL CHECK (form IN ('beating','binding','maiming','restricting_freedom','starving_freezing',
            'frequent_insults','defamation','threats','stalking','harassment')),
  PRIMARY KEY (case_id, form)
) WITHOUT ROWID;

-- An assessment keeps the instrument version it was scored against; its answers are rows.
CREATE TABLE dv_risk_assessments (
  id                 INTEGER PRIMARY KEY,
  case_id            INTEGER NOT NULL REFERENCES cases(id),
  instrument_version INTEGER NOT NULL REFERENCES dv_instruments(version),
  score              INTEGER NOT NULL CHECK (score >= 0),
  level              TEXT NOT NULL CHECK (level IN ('general','elevated','high','extreme')),
  note               TEXT NOT NULL DEFAULT '',
  assessor_id        INTEGER REFERENCES users(id),
  assessed_at        INTEGER NOT NULL
);
CREATE INDEX dv_risk_assessments_case ON dv_risk_assessments(case_id, assessed_at);
CREATE INDEX dv_risk_assessments_at ON dv_risk_assessments(assessed_at);

CREATE TABLE dv_risk_answers (
  assessment_id INTEGER NOT NULL REFERENCES dv_risk_assessments(id),
  item_code     TEXT NOT NULL,
  answer        INTEGER NOT NULL CHECK (answer IN (0, 1)),
  PRIMARY KEY (assessment_id, item_code)
) WITHOUT ROWID;

-- Safety plans: every edit is a new row (version 1, 2, …); the highest version is the current plan.
-- Phone numbers and the code word are stored only encrypted (FieldCipher, key outside the database).
CREATE TABLE dv_safety_plans (
  id            INTEGER PRIMARY KEY,
  case_id       INTEGER NOT NULL REFERENCES cases(id),
  version       INTEGER NOT NULL CHECK (version >= 1),
  ok_to_call    INTEGER CHECK (ok_to_call IN (0, 1)),
  safe_times    TEXT NOT NULL DEFAULT '',
  code_word_enc BLOB,
  author_id     INTEGER REFERENCES users(id),
  created_at    INTEGER NOT NULL,
  UNIQUE (case_id, version)
);

CREATE TABLE dv_safety_plan_steps (
  plan_id  INTEGER NOT NULL REFERENCES dv_safety_plans(id),
  position INTEGER NOT NULL,
  text     TEXT NOT NULL,
  done     INTEGER NOT NULL CHECK (done IN (0, 1)),
  PRIMARY KEY (plan_id, position)
) WITHOUT ROWID;

CREATE TABLE dv_safety_plan_contacts (
  plan_id   INTEGER NOT NULL REFERENCES dv_safety_plans(id),
  position  INTEGER NOT NULL,
  name      TEXT NOT NULL,
  phone_enc BLOB,
  relation  TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (plan_id, position)
) WITHOUT ROWID;

CREATE TABLE dv_safety_plan_places (
  plan_id  INTEGER NOT NULL REFERENCES dv_safety_plans(id),
  position INTEGER NOT NULL,
  name     TEXT NOT NULL,
  address  TEXT NOT NULL DEFAULT '',
  note     TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (plan_id, position)
) WITHOUT ROWID;

-- Personal safety protection orders (人身安全保护令). ruling_due comes from the deadline policy
-- (72 h, 24 h in an emergency); a granted order lasts at most 6 calendar months.
CREATE TABLE dv_protection_orders (
  id               INTEGER PRIMARY KEY,
  case_id          INTEGER NOT NULL REFERENCES cases(id),
  court_partner_id INTEGER NOT NULL REFERENCES partners(id),
  emergency        INTEGER NOT NULL CHECK (emergency IN (0, 1)),
  applied_at       INTEGER NOT NULL,
  ruling_due       INTEGER NOT NULL,
  status           TEXT NOT NULL CHECK (status IN ('applied','granted','denied','withdrawn')),
  ruled_at         INTEGER,
  expires_at       INTEGER,
  created_by       INTEGER REFERENCES users(id),
  created_at       INTEGER NOT NULL,
  updated_at       INTEGER NOT NULL,
  version          INTEGER NOT NULL DEFAULT 1,
  CHECK (status <> 'granted' OR (ruled_at IS NOT NULL AND expires_at > ruled_at))
);
CREATE INDEX dv_protection_orders_case ON dv_protection_orders(case_id);
CREATE INDEX dv_protection_orders_expiry ON dv_protection_orders(expires_at) WHERE status = 'granted';
CREATE INDEX dv_protection_orders_ruling ON dv_protection_orders(ruling_due) WHERE status = 'applied';

CREATE TABLE dv_protection_order_extensions (
  id                  INTEGER PRIMARY KEY,
  order_id            INTEGER NOT NULL REFERENCES dv_protection_orders(id),
  extended_at         INTEGER NOT NULL,
  previous_expires_at INTEGER NOT NULL,
  expires_at          INTEGER NOT NULL,
  actor_id            INTEGER REFERENCES users(id)
);
CREATE INDEX dv_protection_order_extensions_order ON dv_protection_order_extensions(order_id);

CREATE TABLE dv_protection_order_violations (
  id              INTEGER PRIMARY KEY,
  order_id        INTEGER NOT NULL REFERENCES dv_protection_orders(id),
  occurred_at     INTEGER NOT NULL,
  description     TEXT NOT NULL,
  police_response TEXT NOT NULL DEFAULT '',
  recorded_by     INTEGER REFERENCES users(id),
  recorded_at     INTEGER NOT NULL
);
CREATE INDEX dv_protection_order_violations_order ON dv_protection_order_violations(order_id);

-- Police warning letters (家庭暴力告诫书).
CREATE TABLE dv_warning_letters (
  id                INTEGER PRIMARY KEY,
  case_id           INTEGER NOT NULL REFERENCES cases(id),
  police_partner_id INTEGER NOT NULL REFERENCES partners(id),
  issued_at         INTEGER NOT NULL,
  note              TEXT NOT NULL DEFAULT '',
  created_by        INTEGER REFERENCES users(id),
  created_at        INTEGER NOT NULL
);
CREATE INDEX dv_warning_letters_case ON dv_warning_letters(case_id);
CREATE INDEX dv_warning_letters_issued ON dv_warning_letters(issued_at);

-- Temporary shelter (临时庇护) with civil affairs; to_at NULL while the stay goes on.
CREATE TABLE dv_shelter_stays (
  id         INTEGER PRIMARY KEY,
  case_id    INTEGER NOT NULL REFERENCES cases(id),
  partner_id INTEGER NOT NULL REFERENCES partners(id),
  from_at    INTEGER NOT NULL,
  to_at      INTEGER,
  note       TEXT NOT NULL DEFAULT '',
  created_by INTEGER REFERENCES users(id),
  created_at INTEGER NOT NULL,
  CHECK (to_at IS NULL OR to_at >= from_at)
);
CREATE INDEX dv_shelter_stays_case ON dv_shelter_stays(case_id);
CREATE INDEX dv_shelter_stays_from ON dv_shelter_stays(from_at);

-- Mandatory reports (强制报告) by the bodies the law obliges to report.
CREATE TABLE dv_mandatory_reports (
  id                INTEGER PRIMARY KEY,
  case_id           INTEGER NOT NULL REFERENCES cases(id),
  reporter_type     TEXT NOT NULL CHECK (reporter_type IN ('school','kindergarten','hospital','residents_committee',
                      'villagers_committee','social_work','relief_agency','welfare_agency','other')),
  reporter_name     TEXT NOT NULL DEFAULT '',
  reported_at       INTEGER NOT NULL,
  police_partner_id INTEGER REFERENCES partners(id),
  note              TEXT NOT NULL DEFAULT '',
  created_by        INTEGER REFERENCES users(id),
  created_at        INTEGER NOT NULL
);
CREATE INDEX dv_mandatory_reports_case ON dv_mandatory_reports(case_id);
CREATE INDEX dv_mandatory_reports_reported ON dv_mandatory_reports(reported_at);

-- The breach list (high/extreme cases without a safety plan) scans only the few high-risk cases.
CREATE INDEX cases_high_risk ON cases(office_path, risk_level) WHERE risk_level IN ('high','extreme');
