-- Supervision and statistics: follow-up calls after closure (回访), and the indexes that keep the
-- aging dashboard, the workload view and the monthly report index scans at a million cases.

-- One row per follow-up contact with the person after her case was closed. closed_at copies the
-- case's closed_at at the time, so a case that is reopened and closed again is due for a new one.
CREATE TABLE follow_ups (
  id           INTEGER PRIMARY KEY,
  case_id      INTEGER NOT NULL REFERENCES cases(id),
  closed_at    INTEGER NOT NULL,
  satisfaction TEXT NOT NULL CHECK (satisfaction IN ('satisfied','basically_satisfied','dissatisfied')),
  note         TEXT NOT NULL DEFAULT '',
  contacted_at INTEGER NOT NULL,
  recorded_by  INTEGER REFERENCES users(id),
  created_at   INTEGER NOT NULL
);
CREATE INDEX follow_ups_case ON follow_ups(case_id, closed_at);
CREATE INDEX follow_ups_contacted ON follow_ups(contacted_at);
CREATE INDEX follow_ups_dissatisfied ON follow_ups(case_id) WHERE satisfaction = 'dissatisfied';

-- Aging and workload: every open case of a scope, with all the columns the bucket counts and the
-- groupings read, so the query never touches the table (open cases are a few percent of all).
CREATE INDEX cases_open_aging ON cases(office_path, received_at, next_due, status, assignee_id, category)
  WHERE status <> 'closed';

-- The monthly report: cases received / accepted / closed in a month, range scans on the time with
-- the scope checked inside the index.
CREATE INDEX cases_received_month ON cases(received_at, office_path);
CREATE INDEX cases_accepted_month ON cases(accepted_at, office_path, status);
CREATE INDEX cases_closed_month ON cases(closed_at, office_path, outcome, losses_avoided_fen, received_at)
  WHERE status = 'closed';

-- Legal-aid referrals sent in a month; for the aging view the open referrals by case and partner,
-- and the cases of unanswered referrals by response deadline (index-only, unlike 001's
-- referrals_open_due, which lacks case_id).
CREATE INDEX referrals_service_sent ON referrals(service, sent_at);
CREATE INDEX referrals_open_partner ON referrals(case_id, partner_id)
  WHERE status IN ('sent','accepted','in_progress');
CREATE INDEX referrals_sent_due ON referrals(response_due, case_id) WHERE status = 'sent';
