-- Camera list by kind and status, in list order (created_at, id): one index range gives the page
-- already sorted, whatever share of the fleet the filter matches (issue 13: kind=household&status=unknown).
CREATE INDEX IF NOT EXISTS cameras_kind_status_created_idx ON cameras (kind, status, created_at, id);
