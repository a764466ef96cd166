-- Clip jobs (server/clips, workers/clipper): cut [requested_from, requested_to) of one camera's
-- recordings into one MP4 stored in S3. The queue lives on the row, as for the upload queue
-- (0010_archive.sql): claimed with FOR UPDATE SKIP LOCKED and a claim that expires, so a job whose
-- worker died is taken up again by another. incident_id names an incident (server/incidents)
-- without a foreign key: clips are evidence and the incidents table belongs to its own module.
-- camera_id has none either: a clip outlives a retired camera, as its recordings do.
CREATE TABLE clip_jobs (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  incident_id uuid NOT NULL,
  camera_id uuid NOT NULL,
  requested_by uuid,
  status text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'running', 'done', 'failed', 'cancelled')),
  requested_from timestamptz NOT NULL,
  requested_to timestamptz NOT NULL,
  actual_from timestamptz,
  actual_to timestamptz,
  partial boolean NOT NULL DEFAULT false,
  gaps jsonb NOT NULL DEFAULT '[]',
  progress real NOT NULL DEFAULT 0 CHECK (progress >= 0 AND progress <= 1),
  sha256 text CHECK (sha256 ~ '^[0-9a-f]{64}$'),
  bytes bigint CHECK (bytes >= 0),
  object_key text,
  error text,
  attempts integer NOT NULL DEFAULT 0,
  claim text,
  claim_until timestamptz,
  next_at timestamptz NOT NULL DEFAULT now(),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  finished_at timestamptz,
  CHECK (requested_from < requested_to),
  CHECK (status <> 'done' OR (sha256 IS NOT NULL AND object_key IS NOT NULL AND bytes IS NOT NULL))
);
CREATE INDEX clip_jobs_queue_idx ON clip_jobs (next_at) WHERE status IN ('queued', 'running');
CREATE INDEX clip_jobs_incident_idx ON clip_jobs (incident_id, created_at);
