-- Export packages are built in the api process that was asked. heartbeat_at: renewed while it builds,
-- so any process can tell an abandoned export (its process died) from a slow one and fail it.
-- waiting: why a running export is waiting (recorded segments only in another worker's hot cache,
-- not archived yet); NULL when it is not.
ALTER TABLE evidence_exports ADD COLUMN heartbeat_at timestamptz;
ALTER TABLE evidence_exports ADD COLUMN waiting text;
CREATE INDEX evidence_exports_open_idx ON evidence_exports (status) WHERE status IN ('queued', 'running');
