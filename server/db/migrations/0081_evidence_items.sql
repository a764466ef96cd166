-- Evidence items: a clip or a recorded range attached to an incident. Immutable: the table
-- rejects UPDATE and DELETE (like audit_log); a correction is a new row with version + 1 that
-- supersedes the one before it (UNIQUE supersedes: two corrections of the same version can't both
-- land, so each item's versions stay one line). root_id groups the versions (the first one's id).
-- A range item keeps the segments it covered when attached (objectKey, sha256, bytes, from, to)
-- and sha256 over that list; a clip item keeps the clip's sha256. hold_id: the legal hold placed
-- on the footage under it (legal_holds, 0010_archive.sql).

CREATE TABLE evidence_items (
  id uuid PRIMARY KEY,
  root_id uuid NOT NULL,
  version integer NOT NULL CHECK (version >= 1),
  supersedes uuid UNIQUE REFERENCES evidence_items (id),
  incident_id text NOT NULL,
  kind text NOT NULL CHECK (kind IN ('clip', 'range')),
  clip_id text,
  camera_id uuid NOT NULL,
  from_at timestamptz NOT NULL,
  to_at timestamptz NOT NULL,
  sha256 text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
  bytes bigint,
  partial boolean NOT NULL DEFAULT false,
  gaps jsonb NOT NULL DEFAULT '[]',
  segments jsonb NOT NULL DEFAULT '[]',
  note text NOT NULL DEFAULT '',
  reason text,
  hold_id uuid,
  hold_expires_at timestamptz,
  created_by uuid,
  created_at timestamptz NOT NULL DEFAULT now(),
  CHECK (to_at > from_at),
  CHECK ((kind = 'clip') = (clip_id IS NOT NULL)),
  CHECK ((version = 1) = (supersedes IS NULL)),
  CHECK ((version = 1) = (root_id = id))
);
CREATE INDEX evidence_items_incident_idx ON evidence_items (incident_id, created_at);
CREATE INDEX evidence_items_root_idx ON evidence_items (root_id, version);

CREATE FUNCTION evidence_items_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'evidence_items is immutable: attach a new version instead';
END;
$$;

CREATE TRIGGER evidence_items_no_update BEFORE UPDATE OR DELETE ON evidence_items
  FOR EACH ROW EXECUTE FUNCTION evidence_items_immutable();
