-- The DV lethality checklist as data, versioned: an assessment records the instrument version it
-- used, and a retired version can no longer be answered. Version 1 is the project-written default
-- of DOMAIN.md; an office should replace it with the instrument it has approved (add version 2).

CREATE TABLE dv_instruments (
  version     INTEGER PRIMARY KEY,
  name_zh     TEXT NOT NULL,
  name_en     TEXT NOT NULL,
  active      INTEGER NOT NULL DEFAULT 0,   -- exactly one active version at a time
  retired_at  INTEGER
);

CREATE TABLE dv_instrument_items (
  version  INTEGER NOT NULL REFERENCES dv_instruments(version),
  code     TEXT NOT NULL,
  weight   INTEGER NOT NULL CHECK (weight > 0),
  text_zh  TEXT NOT NULL,
  text_en  TEXT NOT NULL,
  sort     INTEGER NOT NULL,
  PRIMARY KEY (version, code)
) WITHOUT ROWID;

-- A score s maps to the level of the threshold row with the largest min_score <= s.
CREATE TABLE dv_instrument_levels (
  version   INTEGER NOT NULL REFERENCES dv_instruments(version),
  level     TEXT NOT NULL CHECK (level IN ('general','elevated','high','extreme')),
  min_score INTEGER NOT NULL,
  name_zh   TEXT NOT NULL,
  name_en   TEXT NOT NULL,
  PRIMARY KEY (version, level)
) WITHOUT ROWID;

INSERT INTO dv_instruments(version, name_zh, name_en, active) VALUES
  (1, '家庭暴力危险性评估表（默认版）', 'DV lethality checklist (default)', 1);

INSERT INTO dv_instrument_items(version, code, weight, text_zh, text_en, sort) VALUES
  (1, 'escalation', 3, '过去一年暴力更频繁或更严重', 'Violence more frequent or severe in the past year', 1),
  (1, 'weapon', 4, '使用或威胁使用凶器', 'Weapon used or threatened', 2),
  (1, 'strangulation', 4, '掐脖子或令其窒息', 'Strangulation / choking', 3),
  (1, 'death_threat', 4, '威胁杀死她或孩子', 'Threat to kill her or the children', 4),
  (1, 'separation', 3, '她已经离开或打算离开', 'She has left or plans to leave', 5),
  (1, 'pregnancy_violence', 2, '怀孕期间遭受暴力', 'Violence during pregnancy', 6),
  (1, 'coercive_control', 2, '控制她的日常生活或钱财', 'Controls her daily life or money', 7),
  (1, 'stalking', 2, '跟踪或监视', 'Stalking or monitoring', 8),
  (1, 'substance_abuse', 1, '施暴人酗酒或吸毒', 'Abuser drinks or uses drugs heavily', 9),
  (1, 'suicide_threat', 2, '施暴人威胁或企图自杀', 'Abuser threatened or attempted suicide', 10),
  (1, 'child_abuse', 2, '孩子也遭受虐待', 'Children also abused', 11),
  (1, 'forced_sex', 2, '强迫性行为', 'Forced sex', 12),
  (1, 'prior_violation', 2, '曾有暴力前科或违反保护令', 'Prior violence or a broken protection order', 13),
  (1, 'fears_death', 3, '她认为对方可能杀死她', 'She believes he could kill her', 14),
  (1, 'unemployed', 1, '施暴人失业', 'Abuser unemployed', 15);

INSERT INTO dv_instrument_levels(version, level, min_score, name_zh, name_en) VALUES
  (1, 'general', 0, '一般', 'General'),
  (1, 'elevated', 8, '较高', 'Elevated'),
  (1, 'high', 14, '高', 'High'),
  (1, 'extreme', 18, '极高', 'Extreme');
