-- Scale-out: ingest workers announce themselves with a heartbeat and hold one lease per camera.
-- A lease carries a fencing token (strictly increasing) that every write of the holder checks,
-- so a stale worker that lost its lease can no longer write status or segments.

CREATE TABLE ingest_workers (
  id text PRIMARY KEY,
  base_url text,
  started_at timestamptz NOT NULL DEFAULT now(),
  heartbeat_at timestamptz NOT NULL DEFAULT now()
);

CREATE SEQUENCE camera_lease_token_seq;

CREATE TABLE camera_leases (
  camera_id uuid PRIMARY KEY REFERENCES cameras(id) ON DELETE CASCADE,
  worker_id text NOT NULL,
  token bigint NOT NULL,
  acquired_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL
);
CREATE INDEX camera_leases_worker_idx ON camera_leases (worker_id);
