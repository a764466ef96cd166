-- Lease handover (issue 13). A graceful release expires the lease at once and says so
-- (released_at): another worker takes it over right away, and the unattended check gives the
-- takeover a grace period instead of calling a planned move an outage. Heartbeats are looked up
-- by age (silent holders, pruning dead workers' rows).
ALTER TABLE camera_leases ADD COLUMN IF NOT EXISTS released_at timestamptz;
CREATE INDEX IF NOT EXISTS ingest_workers_heartbeat_idx ON ingest_workers (heartbeat_at);
