-- Recording archive (stage two of recording). recording_segments is reshaped: a row is keyed by
-- camera + start (from the media, ms precision), names its cache copy by a key relative to the
-- cache (<cameraId>/<file>) on the node (`cache_node`, a stable id of the worker's disk) and its
-- S3 object by `object_key`; no absolute worker path is stored. A camera's rows survive the
-- camera (retired cameras keep their recordings until retention; held ranges forever).
-- state: cached (in a worker's cache only) -> archived (read back and verified in S3);
-- dropped (the free-disk guard removed an un-archived copy; see recording_drops).
-- The upload queue lives on the row (upload_*): claimed with FOR UPDATE SKIP LOCKED and a claim
-- that expires, so a killed uploader's segment is taken up again and never by two at once.
-- Hash chain per camera: chain_seq numbers a camera's rows in insertion order and prev_sha256 is
-- the sha256 of the row before it; recording_chain_tombstones keeps (seq, sha256) of rows that
-- retention removed, so a row deleted any other way shows as a break in the chain.

ALTER TABLE recording_segments DROP CONSTRAINT IF EXISTS recording_segments_camera_id_fkey;
ALTER TABLE recording_segments DROP CONSTRAINT IF EXISTS recording_segments_path_key;
ALTER TABLE recording_segments ADD COLUMN cache_key text;
UPDATE recording_segments SET cache_key = camera_id::text || '/' || regexp_replace(path, '^.*/', '');
DELETE FROM recording_segments a USING recording_segments b
  WHERE a.camera_id = b.camera_id AND a.started_at = b.started_at AND a.id > b.id;
ALTER TABLE recording_segments DROP COLUMN path;
ALTER TABLE recording_segments ALTER COLUMN fencing_token DROP NOT NULL;
ALTER TABLE recording_segments
  ADD COLUMN state text NOT NULL DEFAULT 'cached' CHECK (state IN ('cached', 'archived', 'dropped')),
  ADD COLUMN duration_ms integer NOT NULL DEFAULT 0 CHECK (duration_ms >= 0),
  ADD COLUMN frames integer,
  ADD COLUMN codec text,
  ADD COLUMN width integer,
  ADD COLUMN height integer,
  ADD COLUMN flags text[] NOT NULL DEFAULT '{}',
  ADD COLUMN chain_seq bigint,
  ADD COLUMN prev_sha256 text CHECK (prev_sha256 ~ '^[0-9a-f]{64}$'),
  ADD COLUMN object_key text,
  ADD COLUMN cache_node text,
  ADD COLUMN cache_deleted_at timestamptz,
  ADD COLUMN retention_days integer,
  ADD COLUMN archived_at timestamptz,
  ADD COLUMN verified_at timestamptz,
  ADD COLUMN upload_attempts integer NOT NULL DEFAULT 0,
  ADD COLUMN upload_next_at timestamptz NOT NULL DEFAULT now(),
  ADD COLUMN upload_claim text,
  ADD COLUMN upload_claim_until timestamptz,
  ADD COLUMN upload_error text;
UPDATE recording_segments s SET
  duration_ms = (EXTRACT(EPOCH FROM (s.ended_at - s.started_at)) * 1000)::integer,
  chain_seq = o.seq,
  prev_sha256 = o.prev,
  object_key = 'recordings/' || s.camera_id::text || '/' || to_char(s.started_at AT TIME ZONE 'UTC', 'YYYY/MM/DD/YYYYMMDD"T"HH24MISS.MS"Z"') || '.mp4'
  FROM (SELECT id, row_number() OVER w AS seq, lag(sha256) OVER w AS prev
          FROM recording_segments WINDOW w AS (PARTITION BY camera_id ORDER BY started_at, id)) o
  WHERE o.id = s.id;
ALTER TABLE recording_segments ALTER COLUMN chain_seq SET NOT NULL;
ALTER TABLE recording_segments ALTER COLUMN object_key SET NOT NULL;
ALTER TABLE recording_segments ADD CONSTRAINT recording_segments_camera_start_key UNIQUE (camera_id, started_at);
ALTER TABLE recording_segments ADD CONSTRAINT recording_segments_chain_key UNIQUE (camera_id, chain_seq);
CREATE UNIQUE INDEX recording_segments_cache_idx ON recording_segments (cache_node, cache_key) WHERE cache_key IS NOT NULL;
CREATE INDEX recording_segments_queue_idx ON recording_segments (cache_node, upload_next_at) WHERE state = 'cached';
CREATE INDEX recording_segments_started_idx ON recording_segments (started_at);

-- The head of each camera's chain: appends lock this row (one writer per camera at a time).
CREATE TABLE recording_chain_heads (
  camera_id uuid PRIMARY KEY,
  last_seq bigint NOT NULL,
  last_sha256 text
);
INSERT INTO recording_chain_heads (camera_id, last_seq, last_sha256)
  SELECT DISTINCT ON (camera_id) camera_id, chain_seq, sha256 FROM recording_segments ORDER BY camera_id, chain_seq DESC;

CREATE TABLE recording_chain_tombstones (
  camera_id uuid NOT NULL,
  chain_seq bigint NOT NULL,
  sha256 text NOT NULL,
  started_at timestamptz NOT NULL,
  cause text NOT NULL,
  deleted_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (camera_id, chain_seq)
);

-- Recording lost for a known reason: the ledger reads it. disk_guard: an un-archived cached
-- segment dropped for space; retention: archived footage past the camera's retention days;
-- invalid: a closed segment that failed validation.
CREATE TABLE recording_drops (
  id bigserial PRIMARY KEY,
  camera_id uuid NOT NULL,
  from_at timestamptz NOT NULL,
  to_at timestamptz NOT NULL,
  cause text NOT NULL CHECK (cause IN ('disk_guard', 'retention', 'invalid')),
  bytes bigint NOT NULL DEFAULT 0,
  detail text,
  at timestamptz NOT NULL DEFAULT now(),
  CHECK (to_at >= from_at)
);
CREATE INDEX recording_drops_camera_idx ON recording_drops (camera_id, from_at);

-- Legal holds: a time range of a camera exempt from retention and from every space guard
-- (incidents create them). No foreign key: a hold outlives a retired camera.
CREATE TABLE legal_holds (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  camera_id uuid NOT NULL,
  from_at timestamptz NOT NULL,
  to_at timestamptz NOT NULL,
  reason text NOT NULL,
  created_by uuid,
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz,
  CHECK (to_at > from_at)
);
CREATE INDEX legal_holds_camera_idx ON legal_holds (camera_id, from_at);
