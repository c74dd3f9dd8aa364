-- 复议 of a protection-order ruling (反家庭暴力法 Art. 31; issue #13): a party dissatisfied with the
-- ruling — an order granted, or the application rejected — may ask the court that ruled to reconsider
-- it, once. Recorded on the order: when it was asked for and by whom (the applicant, or the respondent
-- the order is against), and the court's result (维持 upheld / 撤销 revoked / 变更 varied) with its date.
-- Execution of a granted order is not suspended meanwhile: the order stays in force while the
-- reconsideration is pending; a revoked grant is no longer in force from the decision on.
--
-- One row per order at most (the primary key is the order): "once" is the database's rule too.
-- Nothing existing changes: orders recorded before this migration have no reconsideration.
CREATE TABLE dv_protection_order_reconsiderations (
  order_id     INTEGER PRIMARY KEY REFERENCES dv_protection_orders(id),
  applied_at   INTEGER NOT NULL,
  applied_by   TEXT NOT NULL CHECK (applied_by IN ('applicant', 'respondent')),
  result       TEXT CHECK (result IN ('upheld', 'revoked', 'varied')),
  decided_at   INTEGER,
  note         TEXT NOT NULL DEFAULT '',
  recorded_by  INTEGER REFERENCES users(id),
  recorded_at  INTEGER NOT NULL,
  CHECK ((result IS NULL) = (decided_at IS NULL)),
  CHECK (decided_at IS NULL OR decided_at >= applied_at)
);
