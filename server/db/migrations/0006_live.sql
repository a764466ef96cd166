-- Live delivery: RTMP push stream keys for cameras that cannot be pulled (behind NAT).
-- Only a SHA-256 of the key (bound to the camera id) is stored; the key is shown once.

CREATE TABLE camera_push_keys (
  camera_id uuid PRIMARY KEY REFERENCES cameras(id) ON DELETE CASCADE,
  key_hash text NOT NULL,
  created_by uuid REFERENCES users(id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
