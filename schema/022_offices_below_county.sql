-- Offices below the county (issue #13; DOMAIN.md "Offices and regions"): townships and village
-- women's-rights stations (妇女维权站) have no GB/T 2260 code. They carry the National Bureau of
-- Statistics' twelve-digit code (统计用区划代码: six digits of the county, three of the township, three of
-- the village) or none. So region_code may now be NULL or twelve digits (still unique), and the level
-- may be 'village'. Both are constraint changes that do not change how rows are stored, made by
-- editing the stored CREATE TABLE text as 009 did; the SELECT aborts the migration when they did not
-- match. The validation of which code fits which level lives in casework/office_repository.cpp.
--
-- Case numbers are "<prefix>-<year>-<serial>": case_prefix is the office's region code, or for an
-- office without one the nearest ancestor's code and "S" with the office's id (431023-S57), so two
-- offices never draw the same number. Existing offices keep their region code as the prefix.
PRAGMA writable_schema = ON;

UPDATE sqlite_schema SET sql = replace(replace(sql,
    'region_code TEXT NOT NULL UNIQUE CHECK (length(region_code) = 6 AND region_code GLOB ''[0-9]*''),',
    'region_code TEXT UNIQUE CHECK (region_code IS NULL OR ((length(region_code) = 6 OR length(region_code) = 12) AND region_code NOT GLOB ''*[^0-9]*'')),'),
    'level       TEXT NOT NULL CHECK (level IN (''national'',''province'',''city'',''county'',''township'')),',
    'level       TEXT NOT NULL CHECK (level IN (''national'',''province'',''city'',''county'',''township'',''village'')),')
WHERE type = 'table' AND name = 'offices';

PRAGMA writable_schema = RESET;

SELECT json('schema 022: the region_code and level constraints of offices were not rewritten')
  FROM sqlite_schema WHERE type = 'table' AND name = 'offices'
   AND (sql NOT LIKE '%''village''%' OR sql LIKE '%region_code TEXT NOT NULL%');

ALTER TABLE offices ADD COLUMN case_prefix TEXT;
UPDATE offices SET case_prefix = region_code;
