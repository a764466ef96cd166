-- cameras_kind_idx (kind) is a prefix of cameras_kind_status_created_idx (kind, status, created_at,
-- id): every query it served, the longer one serves (plans.test.ts), and each camera insert paid
-- for both (issue 13: the import of 100k cameras).
DROP INDEX IF EXISTS cameras_kind_idx;
