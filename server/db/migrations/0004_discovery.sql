-- Discovery: scans (multicast WS-Discovery or a unicast range) and the devices each found.
-- Scan credentials are never stored: they live in memory only while the scan's results are fresh.

CREATE TABLE discovery_scans (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  method text NOT NULL CHECK (method IN ('multicast', 'unicast')),
  range text,
  status text NOT NULL DEFAULT 'running' CHECK (status IN ('running', 'done', 'failed')),
  error text,
  with_credentials boolean NOT NULL DEFAULT false,
  addresses_total integer NOT NULL DEFAULT 0,
  addresses_done integer NOT NULL DEFAULT 0,
  device_count integer NOT NULL DEFAULT 0,
  started_by uuid REFERENCES users(id) ON DELETE SET NULL,
  started_at timestamptz NOT NULL DEFAULT now(),
  finished_at timestamptz
);
CREATE INDEX discovery_scans_started_idx ON discovery_scans (started_at);

-- One row per device per scan (deduplicated by endpoint reference within a scan).
CREATE TABLE discovered_devices (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  scan_id uuid NOT NULL REFERENCES discovery_scans(id) ON DELETE CASCADE,
  endpoint_reference text NOT NULL,
  address text NOT NULL,
  onvif_url text,
  xaddrs text[] NOT NULL DEFAULT '{}',
  xaddr_mismatch boolean NOT NULL DEFAULT false,
  scopes text[] NOT NULL DEFAULT '{}',
  manufacturer text,
  model text,
  firmware text,
  serial text,
  hardware_id text,
  profiles jsonb NOT NULL DEFAULT '[]',
  rtsp_main_url text,
  rtsp_sub_url text,
  snapshot_uri text,
  has_ptz boolean,
  clock_offset_ms integer,
  error text CHECK (error IS NULL OR error IN ('unreachable', 'auth_failed', 'not_onvif', 'timeout', 'malformed_response')),
  error_detail text,
  -- The registry camera this device is (enrolled now, or matched on re-discovery).
  camera_id uuid REFERENCES cameras(id) ON DELETE SET NULL,
  state text NOT NULL DEFAULT 'new' CHECK (state IN ('new', 'known', 'enrolled')),
  -- What differs from the last time this camera was seen: {address: {from, to}, firmware: ...}.
  changes jsonb NOT NULL DEFAULT '{}',
  enrolled_at timestamptz,
  found_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (scan_id, endpoint_reference)
);
CREATE INDEX discovered_devices_endpoint_idx ON discovered_devices (endpoint_reference);
CREATE INDEX discovered_devices_serial_idx ON discovered_devices (serial);
CREATE INDEX discovered_devices_camera_idx ON discovered_devices (camera_id);
