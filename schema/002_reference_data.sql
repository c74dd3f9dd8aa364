-- Reference data: the two-level case taxonomy of DOMAIN.md and the default legal time limits.
-- Offices may add categories or stricter limits; these are the defaults.

INSERT INTO deadline_config(office_id, key, value) VALUES
  (0, 'acceptance_days', 15),            -- 信访工作条例: decide on acceptance within 15 days
  (0, 'handling_days', 60),              -- handle within 60 days of acceptance
  (0, 'max_extension_days', 30),         -- one extension of at most 30 days, approved
  (0, 'referral_response_days', 5),      -- partner accepts or declines a referral
  (0, 'referral_feedback_days', 30),     -- partner reports what it did
  (0, 'po_ruling_hours', 72),            -- 反家庭暴力法: protection-order ruling within 72 h
  (0, 'po_ruling_emergency_hours', 24);  -- 24 h in an emergency

INSERT INTO categories(code, parent_code, name_zh, name_en, sort) VALUES
  ('marriage_family', NULL, '婚姻家庭', 'Marriage & family', 100),
  ('marriage_family.domestic_violence', 'marriage_family', '家庭暴力', 'Domestic violence', 101),
  ('marriage_family.divorce', 'marriage_family', '离婚', 'Divorce', 102),
  ('marriage_family.custody_visitation', 'marriage_family', '抚养探望', 'Child custody & visitation', 103),
  ('marriage_family.elder_support', 'marriage_family', '赡养', 'Support of elders', 104),
  ('marriage_family.marital_property', 'marriage_family', '夫妻财产', 'Marital property', 105),
  ('marriage_family.bigamy_affairs', 'marriage_family', '重婚婚外情', 'Bigamy / affairs', 106),
  ('marriage_family.bride_price', 'marriage_family', '彩礼', 'Bride price', 107),
  ('marriage_family.other', 'marriage_family', '其他婚姻家庭问题', 'Other marriage & family', 199),
  ('personal_rights', NULL, '人身权利', 'Personal rights', 200),
  ('personal_rights.sexual_assault', 'personal_rights', '性侵害', 'Sexual assault', 201),
  ('personal_rights.sexual_harassment', 'personal_rights', '性骚扰', 'Sexual harassment', 202),
  ('personal_rights.trafficking', 'personal_rights', '拐卖', 'Trafficking', 203),
  ('personal_rights.bodily_injury', 'personal_rights', '人身伤害', 'Bodily injury', 204),
  ('personal_rights.reputation_privacy', 'personal_rights', '名誉隐私', 'Reputation & privacy', 205),
  ('property_rights', NULL, '财产权益', 'Property rights', 300),
  ('property_rights.land_contract', 'property_rights', '土地承包', 'Land contract', 301),
  ('property_rights.homestead', 'property_rights', '宅基地', 'Homestead', 302),
  ('property_rights.collective_income', 'property_rights', '集体收益分配', 'Collective income distribution', 303),
  ('property_rights.land_compensation', 'property_rights', '征地补偿', 'Land-taking compensation', 304),
  ('property_rights.inheritance', 'property_rights', '继承', 'Inheritance', 305),
  ('labour', NULL, '劳动和社会保障', 'Labour & social security', 400),
  ('labour.hiring_discrimination', 'labour', '就业性别歧视', 'Gender discrimination in hiring', 401),
  ('labour.pregnancy_dismissal', 'labour', '孕期哺乳期解雇', 'Dismissal in pregnancy or nursing', 402),
  ('labour.wages_insurance', 'labour', '工资社保', 'Wages & insurance', 403),
  ('labour.maternity_benefits', 'labour', '生育待遇', 'Maternity benefits', 404),
  ('children', NULL, '儿童权益', 'Children''s rights', 500),
  ('children.lack_of_guardianship', 'children', '监护缺失', 'Lack of guardianship', 501),
  ('children.abuse', 'children', '虐待', 'Abuse', 502),
  ('children.left_behind', 'children', '留守困境', 'Left-behind children in difficulty', 503),
  ('children.schooling', 'children', '入学', 'Schooling', 504),
  ('political_rights', NULL, '政治权利', 'Political rights', 600),
  ('political_rights.general', 'political_rights', '政治权利', 'Political rights', 601),
  ('education_culture', NULL, '文化教育', 'Education & culture', 700),
  ('education_culture.general', 'education_culture', '文化教育', 'Education & culture', 701),
  ('other', NULL, '其他', 'Other', 800),
  ('other.general', 'other', '其他', 'Other', 801);
