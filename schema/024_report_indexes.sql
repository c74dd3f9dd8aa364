-- 024: indexes for the period report's 办结 and 按期办结率 (issue #14), measured at 1 M cases
-- (tests/bench/aging_bench.cpp: a province's year).
--
-- 按期办结率 probes, for each case of the period, its replies and its closure events. Through
-- case_events_case and case_replies_case every probe read the rows themselves (a case's every event,
-- to find the closing ones); these partial indexes answer the probes from the index. (The closure
-- amounts' lookup keeps `+q.event` and case_events_case: with an index on request_closure the planner,
-- having no statistics, walked every request_closure of the period for each closure instead.)
-- Partial indexes are portable (PostgreSQL has them with the same syntax). No data change.

-- The closures of a case (approve_closure, or a 交办 sender's accept_report), by time.
CREATE INDEX case_events_closures ON case_events(case_id, at) WHERE event IN ('approve_closure','accept_report');
-- A case's replies with the limit in force when each was made.
CREATE INDEX case_replies_due ON case_replies(case_id, replied_at, handling_due) WHERE handling_due IS NOT NULL;
