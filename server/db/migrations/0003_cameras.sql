-- Camera registry extras: indexes for the list filters and the ingest worker's approved set.
CREATE INDEX IF NOT EXISTS cameras_grid_idx ON cameras (grid_id);
CREATE INDEX IF NOT EXISTS cameras_enrollment_idx ON cameras (enrollment_state);
