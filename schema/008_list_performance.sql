-- Case lists at a million cases (tests/bench/run): the list's counts per status and a plan that
-- stops after one page.
--
-- case_counts: cases per office, status and category, kept by triggers in the same transaction as
-- every change, so the counts of a list filtered by nothing but status and category (the common
-- views) are a sum over the offices of a subtree instead of a scan of every case in it.
CREATE TABLE case_counts (
  office_id INTEGER NOT NULL REFERENCES offices(id),
  status    TEXT NOT NULL,
  category  TEXT NOT NULL,
  n         INTEGER NOT NULL,
  PRIMARY KEY (office_id, status, category)
) WITHOUT ROWID;

INSERT INTO case_counts(office_id, status, category, n)
  SELECT office_id, status, category, count(*) FROM cases GROUP BY office_id, status, category;

CREATE TRIGGER case_counts_insert AFTER INSERT ON cases BEGIN
  INSERT INTO case_counts(office_id, status, category, n) VALUES (NEW.office_id, NEW.status, NEW.category, 1)
    ON CONFLICT(office_id, status, category) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER case_counts_update AFTER UPDATE OF status, office_id, category ON cases
  WHEN OLD.status IS NOT NEW.status OR OLD.office_id IS NOT NEW.office_id OR OLD.category IS NOT NEW.category BEGIN
  UPDATE case_counts SET n = n - 1 WHERE office_id = OLD.office_id AND status = OLD.status AND category = OLD.category;
  INSERT INTO case_counts(office_id, status, category, n) VALUES (NEW.office_id, NEW.status, NEW.category, 1)
    ON CONFLICT(office_id, status, category) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER case_counts_delete AFTER DELETE ON cases BEGIN
  UPDATE case_counts SET n = n - 1 WHERE office_id = OLD.office_id AND status = OLD.status AND category = OLD.category;
END;

-- A status list newest first over a wide scope walks this backwards and stops after a page (the
-- office_path check is answered from the index itself).
CREATE INDEX cases_status_received ON cases(status, received_at, office_path);

-- "Deadline first" (sort=due_asc) walks this: the same expression as the list's ORDER BY (case_query.cpp,
-- kNoDue), so cases without a running deadline come last.
CREATE INDEX cases_due_order ON cases(coalesce(next_due, 9000000000000000), id);
