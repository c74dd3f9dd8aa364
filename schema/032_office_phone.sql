-- The number an office answers for its cases (issue #15: a partner handling a referral calls the
-- handling office). Empty until an administrator sets it; the desk then falls back to the 12338 hotline.
ALTER TABLE offices ADD COLUMN phone TEXT NOT NULL DEFAULT '';
