-- Protection-order dates as the law counts them (issue #13):
--
-- * An order is in force through the whole of its last day (民法典 Art. 203: a period ends at 24:00
--   of its last day). expires_at now always holds the last millisecond of that day in Beijing time
--   (23:59:59.999, UTC+8, no daylight saving), whatever time of day was entered; the service
--   normalises every new expiry the same way. Existing expiries (orders and their extensions) move to
--   the end of their day: an order entered through the desk's date field expired at 00:00 of the day
--   it should have been in force, and one entered with a time of day expired at that time.
--
-- * The 72 h / 24 h ruling clock starts when the court accepts the application (受理), not when it is
--   made: court_accepted_at is new, and ruling_due is NULL until the acceptance is recorded (the NOT
--   NULL of ruling_due is dropped by editing the stored CREATE TABLE text, as 009 and 013 did — a
--   constraint change that does not change how rows are stored). Existing orders were recorded with
--   the clock running from the application, so their acceptance is taken to be the application time
--   and their ruling_due stays as it was.
PRAGMA writable_schema = ON;

UPDATE sqlite_schema SET sql = replace(sql, 'ruling_due       INTEGER NOT NULL,', 'ruling_due       INTEGER,')
WHERE type = 'table' AND name = 'dv_protection_orders';

PRAGMA writable_schema = RESET;

-- Abort (json() of a non-JSON text is an error) when the NOT NULL was not dropped.
SELECT json('schema 019: ruling_due of dv_protection_orders is still NOT NULL')
  FROM sqlite_schema WHERE type = 'table' AND name = 'dv_protection_orders' AND sql LIKE '%ruling_due       INTEGER NOT NULL%';

ALTER TABLE dv_protection_orders ADD COLUMN court_accepted_at INTEGER;
UPDATE dv_protection_orders SET court_accepted_at = applied_at;

-- The end of the Beijing day holding t: ((t + 8 h) div 1 day + 1) * 1 day - 8 h - 1 ms.
UPDATE dv_protection_orders
   SET expires_at = ((expires_at + 28800000) / 86400000 + 1) * 86400000 - 28800000 - 1
 WHERE expires_at IS NOT NULL;
UPDATE dv_protection_order_extensions
   SET expires_at = ((expires_at + 28800000) / 86400000 + 1) * 86400000 - 28800000 - 1,
       previous_expires_at = ((previous_expires_at + 28800000) / 86400000 + 1) * 86400000 - 28800000 - 1;
