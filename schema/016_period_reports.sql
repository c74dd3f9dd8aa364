-- The period reports (issue #14): who applied for a protection order, filed reports (报送), and the
-- indexes that keep a year's province report a set of time-range scans at a million cases.

PRAGMA writable_schema = RESET;

-- A protection order is applied for by the victim herself or on her behalf by the federation
-- (代为申请); orders recorded before this column existed are the victim's own.
ALTER TABLE dv_protection_orders ADD COLUMN applied_by TEXT NOT NULL DEFAULT 'victim'
  CHECK (applied_by = 'victim' OR applied_by = 'federation');

-- A report as filed (报送): one row per filing, and its figures with the names, units and
-- definitions as they were printed. Filing the same period, office and scope again files a
-- correction: a new row with the next version; the newest is the one in force, earlier ones stay as
-- the record of what was filed.
CREATE TABLE report_filings (
  id          INTEGER PRIMARY KEY,
  office_id   INTEGER NOT NULL REFERENCES offices(id),
  period_key  TEXT NOT NULL,
  scope       TEXT NOT NULL CHECK (scope = 'office' OR scope = 'subtree'),
  version     INTEGER NOT NULL CHECK (version >= 1),
  as_of       INTEGER NOT NULL,              -- the report date of the filed figures
  filed_by    INTEGER NOT NULL REFERENCES users(id),
  filed_at    INTEGER NOT NULL,
  UNIQUE (office_id, period_key, scope, version)
);
-- amount: a count, or fen for yuan; a rate keeps its numerator and denominator (amount 0).
CREATE TABLE report_filing_figures (
  filing_id   INTEGER NOT NULL REFERENCES report_filings(id),
  key         TEXT NOT NULL,
  name        TEXT NOT NULL,
  unit        TEXT NOT NULL,
  amount      INTEGER NOT NULL,
  numerator   INTEGER NOT NULL DEFAULT 0,
  denominator INTEGER NOT NULL DEFAULT 0,
  definition  TEXT NOT NULL,
  PRIMARY KEY (filing_id, key)
) WITHOUT ROWID;

-- Workflow events by kind and time: declines, forwards, delegations and closures of a period are a
-- range scan per event name (case_events_case serves only one case's history). Beware: without
-- statistics SQLite may take this index for "case_id = ? AND event = ?" and walk every event of that
-- name; write such lookups with "+event" so the case's own index is used.
CREATE INDEX case_events_event_at ON case_events(event, at, case_id);
-- Reopenings (and 交办 reports returned) of a case: few rows, probed once per closure of a period.
CREATE INDEX case_events_reopened ON case_events(case_id, at) WHERE event IN ('reopen','report_returned');
-- The contact figures, the category table and the monthly series read every contact of a period:
-- from this index alone (the table is not touched), as cases_open_aging does for the aging view.
CREATE INDEX contacts_report ON contacts(office_id, received_at, channel, call_type, persons, resolution, case_id,
                                         consultation_kind, repeat_of_case_id, level_skipping, category);
-- 按期办结率: the cases whose handling limit falls in the period.
CREATE INDEX cases_handling_due_month ON cases(handling_due, office_path) WHERE handling_due IS NOT NULL;
-- Ledger imports closed in a period (they have no closure event; a few rows of all).
CREATE INDEX cases_imported_closed ON cases(closed_at, office_path) WHERE outcome = 'imported';
-- Mediation sessions, orders applied for and ruled on, and violations of a period.
CREATE INDEX mediations_scheduled ON mediations(scheduled_at);
CREATE INDEX dv_protection_orders_applied ON dv_protection_orders(applied_at);
CREATE INDEX dv_protection_orders_ruled ON dv_protection_orders(ruled_at) WHERE ruled_at IS NOT NULL;
CREATE INDEX dv_protection_order_violations_at ON dv_protection_order_violations(occurred_at);
