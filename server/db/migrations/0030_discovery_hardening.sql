-- Discovery that a hostile device cannot subvert (issue 10).
-- Clock offsets of devices whose clock is years off fit (bigint); long serials are stored
-- truncated with a hash suffix by the application, so the serial index never overflows.
ALTER TABLE discovered_devices ALTER COLUMN clock_offset_ms TYPE bigint;
-- A stream/snapshot URI on another host than the device: enrolling it needs an operator's approval.
ALTER TABLE discovered_devices ADD COLUMN media_host_mismatch boolean NOT NULL DEFAULT false;
-- The device claims the identity (endpoint reference or manufacturer+serial) of a registry camera
-- from another address than the one approved for it.
ALTER TABLE discovered_devices ADD COLUMN identity_clash boolean NOT NULL DEFAULT false;

-- What a scan could not keep: replies dropped (ours and the kernel's), why results were capped,
-- and every per-device failure (capped list).
ALTER TABLE discovery_scans ADD COLUMN replies_dropped integer NOT NULL DEFAULT 0;
ALTER TABLE discovery_scans ADD COLUMN capped text;
ALTER TABLE discovery_scans ADD COLUMN failures jsonb NOT NULL DEFAULT '[]';

-- One device is one camera: at most one enrolled row per endpoint reference while its camera exists.
CREATE UNIQUE INDEX discovered_devices_one_camera_idx ON discovered_devices (endpoint_reference) WHERE state = 'enrolled' AND camera_id IS NOT NULL;

-- Changes re-discovery found for registry cameras: applied only by an operator.
CREATE TABLE discovery_proposals (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  camera_id uuid NOT NULL REFERENCES cameras(id) ON DELETE CASCADE,
  device_id uuid REFERENCES discovered_devices(id) ON DELETE SET NULL,
  kind text NOT NULL CHECK (kind IN ('change', 'identity_clash')),
  address text NOT NULL,
  endpoint_reference text NOT NULL,
  changes jsonb NOT NULL DEFAULT '{}',
  status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'applied', 'dismissed')),
  created_at timestamptz NOT NULL DEFAULT now(),
  decided_at timestamptz,
  decided_by uuid REFERENCES users(id) ON DELETE SET NULL
);
CREATE INDEX discovery_proposals_open_idx ON discovery_proposals (camera_id) WHERE status = 'open';

-- Basic sends the password itself: answered only over rtsps, or when an operator allows it per camera.
ALTER TABLE cameras ADD COLUMN allow_basic_auth boolean NOT NULL DEFAULT false;
