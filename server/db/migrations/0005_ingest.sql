-- Recording segments closed by ingest workers (stage one: still in the worker's local cache).
-- One row per file; `path` is unique so a worker offering the same file again is a no-op.
-- worker_id and fencing_token record which lease holder wrote the row (see 0007_leases.sql).

CREATE TABLE recording_segments (
  id bigserial PRIMARY KEY,
  camera_id uuid NOT NULL REFERENCES cameras(id) ON DELETE CASCADE,
  started_at timestamptz NOT NULL,
  ended_at timestamptz NOT NULL,
  bytes bigint NOT NULL CHECK (bytes >= 0),
  sha256 text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
  path text NOT NULL UNIQUE,
  worker_id text NOT NULL,
  fencing_token bigint NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  CHECK (ended_at >= started_at)
);
CREATE INDEX recording_segments_camera_time_idx ON recording_segments (camera_id, started_at);
