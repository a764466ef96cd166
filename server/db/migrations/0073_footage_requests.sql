-- Footage requests for household and shopfront cameras. The owner chooses how police may use the
-- camera's recordings (camera_sharing.mode): shared (view and clip), on_request (each range needs
-- the owner's approval), live_only (no recordings). Without a row a household or shopfront camera
-- is on_request; road cameras are police cameras and always shared. An approved request releases
-- exactly [from_at, to_at) of one camera for one incident. server/incidents/footage owns both tables.

CREATE TABLE camera_sharing (
  camera_id uuid PRIMARY KEY REFERENCES cameras(id) ON DELETE CASCADE,
  mode text NOT NULL CHECK (mode IN ('shared', 'on_request', 'live_only')),
  updated_by uuid REFERENCES users(id) ON DELETE SET NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE footage_requests (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  incident_id uuid NOT NULL REFERENCES incidents(id) ON DELETE CASCADE,
  camera_id uuid NOT NULL REFERENCES cameras(id) ON DELETE CASCADE,
  from_at timestamptz NOT NULL,
  to_at timestamptz NOT NULL,
  reason text NOT NULL DEFAULT '',
  status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'declined')),
  requested_by uuid REFERENCES users(id) ON DELETE SET NULL,
  requested_at timestamptz NOT NULL DEFAULT now(),
  decided_by uuid REFERENCES users(id) ON DELETE SET NULL,
  decided_at timestamptz,
  decision_note text,
  CHECK (to_at > from_at)
);
CREATE INDEX footage_requests_incident_idx ON footage_requests (incident_id, camera_id);
CREATE INDEX footage_requests_camera_idx ON footage_requests (camera_id, status);
