-- Evidence export packages: one zip per request (clips, recorded segments, manifest.json and its
-- Ed25519 signature), built in the background and stored in object storage under object_key.
-- status: queued -> running -> done | failed (error says why; e.g. a file whose hash no longer
-- matches its evidence record). sha256/bytes: of the zip; manifest_sha256: of manifest.json.

CREATE TABLE evidence_exports (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  incident_id text NOT NULL,
  status text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'running', 'done', 'failed')),
  object_key text,
  sha256 text CHECK (sha256 ~ '^[0-9a-f]{64}$'),
  bytes bigint,
  manifest_sha256 text CHECK (manifest_sha256 ~ '^[0-9a-f]{64}$'),
  items integer,
  error text,
  created_by uuid,
  created_at timestamptz NOT NULL DEFAULT now(),
  finished_at timestamptz
);
CREATE INDEX evidence_exports_incident_idx ON evidence_exports (incident_id, created_at);
